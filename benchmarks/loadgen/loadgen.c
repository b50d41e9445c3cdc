/*
 * loadgen: a WebSocket (RFC 6455) load generator that is not the code under test.
 *
 * One thread, one epoll loop, so one core of it can be pinned beside a server pinned on another core.
 * Modes:
 *   echo       N connections x K messages in flight; each echoed message is answered with a new one
 *              (closed loop); reports messages/s, payload MB/s and round-trip p50/p99.
 *   raw        the same against a plain TCP echo, no handshake and no framing: the harness's own ceiling.
 *   idle       opens N connections, prints "ready N", holds them until --duration ends (or SIGTERM) and
 *              reports how many the server dropped meanwhile. Whatever a server sends (a keepalive Ping) is
 *              answered with an empty Pong. With --echo-once each connection first sends one message and
 *              gets its echo (validated) before "ready": with deflate, the server's codecs have been used.
 *   broadcast  N connections that only receive; connection 0 sends the text "broadcast:<size>", the server
 *              sends one <size>-byte binary message to every connection; when all N arrived the next
 *              round starts. Reports deliveries/s and the fan-out time p50/p99.
 *   rooms      N connections in rooms of --room-size R (connection j asks for /room/<j / R>); the first member
 *              of each room publishes a --size binary message, the server sends it to every member (the
 *              publisher included); when all R members have it, the room's next one is published (--inflight
 *              K per room). Reports deliveries/s and the publish-to-delivery latency p50/p99.
 *
 *   rate       N connections, each sending one --size binary message per second (--rate per second), spread
 *              evenly over the second: an open loop, as chat clients are. Reports round-trip p50/p99/p99.9;
 *              with --server-pid the server's CPU time per message is the figure that matters.
 *   handshake  --conns K connections at a time open, upgrade (over TLS with --tls), read the 101, send a
 *              Close and go away, then open again: reports new connections/s and the open-to-101 time.
 *
 * --tls 1.3|1.2 speaks wss:// through OpenSSL with one cipher suite, so that every server does the same work
 * whatever its own preference: TLS_AES_128_GCM_SHA256 for TLS 1.3, ECDHE with AES-128-GCM for TLS 1.2
 * (--ciphers sets another TLS 1.3 suite list or TLS 1.2 cipher list). The server's certificate is not
 * verified (the bench's is self-signed); no session is resumed, so every handshake is a full one.
 * --deflate offers permessage-deflate (RFC 7692), with --client-no-context and --server-no-context adding
 * client_no_context_takeover and server_no_context_takeover to the offer. What it sends is compressed at
 * zlib's level 6 ahead of the run (with context takeover: one stream over two passes of the message set, the
 * second pass repeated forever, which any inflater with a 32 KiB window decodes); what it receives is
 * inflated per connection and compared byte for byte with what was sent. Reports both directions'
 * compression ratios (uncompressed / compressed payload bytes).
 * --payload json sends text messages of exactly --size bytes that look like a chat application's JSON,
 * generated from a fixed seed (--seed): enough different ones (at least 64 KiB of them) that DEFLATE's 32 KiB
 * window never holds them all.
 * With --port2 Q, half the connections go to port Q instead: connection j of room k (k = j / R, or 0
 * without rooms) to Q when j + k is odd, so every room of an even size spans two servers (nodes of a cluster)
 * and the rooms' publishers alternate between them (scenario (g)).
 *
 * With --room-size R in the other modes too, connection j asks for /room/<j / R> instead of /: idle
 * connections that are room members (memory per membership), or a broadcast through one room (R = N).
 *
 * Client frames are masked (RFC 6455 section 5.3) with a fixed key: the payload never changes, so each
 * connection re-sends one pre-masked frame. The handshake uses the RFC's sample key and checks the 101
 * and its Sec-WebSocket-Accept. Echoed messages are checked for opcode, no mask, no unexpected RSV bit, exact
 * length and every payload byte (in echo and rate modes).
 * Source addresses are spread over 127.0.0.10..209 (IP_BIND_ADDRESS_NO_PORT) to go past one address's
 * ephemeral ports.
 *
 * With --server-pid P it also reads the server's CPU time (/proc/P/stat, all its threads: user and
 * kernel) over the measured window, and reports it per message: a figure that, unlike messages/s, does not
 * move with how busy the rest of the machine is. With --baseline S as well, it first reads what the server
 * spends in S seconds with its connections open and silent (its JIT, GC and timers), and also reports the
 * CPU per message net of that rate: at a light load such as rate mode's, that idle rate is most of the total. Its own CPU use (getrusage) shows whether it was the
 * bottleneck.
 * It also reports how long its own threads (loadgen_runq_wait) and, with --server-pid, the server's threads
 * (server_runq_wait) waited runnable for a CPU, per second of the window (/proc/.../schedstat): on a shared
 * machine that is how much of a latency tail neither program's code caused.
 * --timeline FILE writes the run (warm-up included) in 100 ms windows: messages sent and echoes received, how
 * many took over 10 ms and over 100 ms, the longest, and how late the rate mode's own sends were against their
 * schedule. In rate mode one turn of the loop sends at most 256 messages before it reads again, so a generator
 * that fell behind does not leave echoes unread (their latency growing) while it catches up.
 *
 * Output: one line of key=value pairs on stdout. Exit status 0 only if messages flowed without error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <zlib.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

enum { MODE_ECHO, MODE_RAW, MODE_IDLE, MODE_BROADCAST, MODE_ROOMS, MODE_RATE, MODE_HANDSHAKE };

/* Options. */
static const char *opt_host = "127.0.0.1";
static int opt_port = 8080;
static int opt_port2 = 0;         /* 0: every connection goes to opt_port */
static int opt_mode = MODE_ECHO;
static int opt_conns = 1;
static int opt_inflight = 1;
static size_t opt_size = 64;
static double opt_duration = 5;
static double opt_warmup = 1;
static int opt_text = 0;
static int opt_room_size = 0;     /* 0: every connection asks for / */
static int opt_tls = 0;           /* 0: plain; 12 or 13: TLS 1.2 or 1.3 */
static const char *opt_ciphers;   /* NULL: AES-128-GCM */
static int opt_deflate = 0;
static int opt_client_no_context = 0;
static int opt_server_no_context = 0;
static int opt_json = 0;
static unsigned long long opt_seed = 17;
static double opt_rate = 1;       /* rate mode: messages per second per connection */
static int opt_echo_once = 0;     /* idle mode: one echo per connection before "ready" */
static double opt_baseline = 0;   /* seconds of the server's idle CPU to read before the run */
static int idle_echoed;           /* idle mode: connections whose echo arrived */

/* rate mode: how many messages one connection may have in flight before the run fails */
#define RATE_MAX_INFLIGHT 64
/* rate mode: how many sends one turn of the loop makes before it reads again */
#define RATE_BURST 256

/*
 * What the connections send: messages 0 .. msg_count-1, each a ready (masked, maybe compressed) frame laid out
 * back to back in send_buf; after the last one a connection goes on with message loop_from. Every connection
 * sends the same sequence, so its k-th echo must equal payload_of(seq_index(k)).
 */
static unsigned char *send_buf;
static size_t send_buf_len;
static size_t *frame_off;         /* where message i's frame starts in send_buf */
static size_t *frame_size;        /* its length on the wire */
static const unsigned char **msg_payload; /* its uncompressed payload, for validating the echo */
static int msg_count, loop_from;
static int expect_opcode;
static uint64_t expect_len;
static uint64_t sent_plain_bytes, sent_wire_bytes; /* payload bytes of one pass over the loop, for the ratio */

/* What the handshake agreed (the same for every connection, or the run fails). */
static int neg_deflate = -1, neg_client_no_context, neg_server_no_context;
static SSL_CTX *ssl_ctx;

/* Log-linear latency histogram: about 1 % precision from 1 ns to hours. */
#define SUB_BITS 7
#define HIST_SIZE (64 << (SUB_BITS + 1))
static uint64_t hist[HIST_SIZE];
static uint64_t hist_count;

static int hist_index(uint64_t v) {
    int e = 0;
    if (v >> (SUB_BITS + 1)) {
        e = 63 - __builtin_clzll(v) - SUB_BITS;
    }
    return (e << (SUB_BITS + 1)) + (int)(v >> e);
}

static uint64_t hist_value(int idx) {
    int e = idx >> (SUB_BITS + 1);
    uint64_t m = (uint64_t)(idx & ((1 << (SUB_BITS + 1)) - 1));
    return (m << e) + ((1ull << e) >> 1); /* the bucket's midpoint */
}

static void hist_record(uint64_t ns) {
    hist[hist_index(ns)]++;
    hist_count++;
}

/*
 * --timeline FILE: the run in 100 ms windows from the start of sending (warm-up included), one line each:
 * echoes received, how many took over 10 ms and over 100 ms, the longest, and in rate mode how late this
 * generator itself was with its sends (its loop's own lag: what the server could not have caused).
 */
#define TL_WINDOW_NS 100000000ull
typedef struct {
    uint32_t recv, over10, over100, sent;
    uint64_t max_lat, max_send_lag;
} tl_window_t;
static const char *opt_timeline;
static tl_window_t *timeline;
static size_t timeline_len;
static uint64_t timeline_start;

static tl_window_t *tl_at(uint64_t now) {
    if (!timeline || now < timeline_start) {
        return NULL;
    }
    size_t i = (size_t)((now - timeline_start) / TL_WINDOW_NS);
    return i < timeline_len ? &timeline[i] : NULL;
}

static void tl_latency(uint64_t now, uint64_t ns) {
    tl_window_t *w = tl_at(now);
    if (w) {
        w->recv++;
        w->over10 += ns > 10000000ull;
        w->over100 += ns > 100000000ull;
        if (ns > w->max_lat) {
            w->max_lat = ns;
        }
    }
}

static void tl_sent(uint64_t now, uint64_t lag) {
    tl_window_t *w = tl_at(now);
    if (w) {
        w->sent++;
        if (lag > w->max_send_lag) {
            w->max_send_lag = lag;
        }
    }
}

static void tl_write(void) {
    FILE *f = fopen(opt_timeline, "w");
    if (!f) {
        perror(opt_timeline);
        return;
    }
    fprintf(f, "t_s sent recv over_10ms over_100ms max_lat_ms max_send_lag_ms\n");
    for (size_t i = 0; i < timeline_len; i++) {
        tl_window_t *w = &timeline[i];
        if (w->sent || w->recv) {
            fprintf(f, "%.1f %u %u %u %u %.2f %.2f\n", (double)i * TL_WINDOW_NS / 1e9, w->sent, w->recv, w->over10,
                    w->over100, (double)w->max_lat / 1e6, (double)w->max_send_lag / 1e6);
        }
    }
    fclose(f);
}

static double hist_percentile_us(double p) {
    if (hist_count == 0) {
        return 0;
    }
    uint64_t rank = (uint64_t)(p * (double)hist_count);
    if (rank >= hist_count) {
        rank = hist_count - 1;
    }
    uint64_t seen = 0;
    for (int i = 0; i < HIST_SIZE; i++) {
        seen += hist[i];
        if (seen > rank) {
            return (double)hist_value(i) / 1000.0;
        }
    }
    return 0;
}

enum { HS_CONNECT, HS_TLS, HS_REQUEST, HS_RESPONSE };

typedef struct conn {
    int fd;
    SSL *ssl;               /* NULL on plain connections */
    int want_out;           /* EPOLLOUT registered */
    uint64_t out_left;      /* bytes still to write */
    size_t out_pos;         /* position in send_buf of the next byte to write */
    uint64_t send_seq;      /* messages queued so far */
    uint64_t recv_seq;      /* messages received so far */
    unsigned char hdr[14];
    int hdr_have;
    int in_payload;
    uint64_t pay_left;
    int opcode;
    int fin;
    int in_message;         /* between a fragmented message's first and last frame */
    int compressed;         /* the current message has RSV1 (permessage-deflate) */
    uint64_t msg_have;      /* wire payload bytes of the current message so far */
    uint64_t val_off;       /* bytes of the current message's (uncompressed) payload validated so far */
    z_stream *inflater;     /* per connection while deflate is negotiated */
    uint64_t raw_in;        /* raw mode: bytes of the current message received */
    int report;             /* broadcast mode: the current frame is the server's timing report */
    char cap[64];
    int cap_len;
    uint64_t *ts;           /* send times of the messages in flight, oldest first */
    int ts_head, ts_count, ts_cap;
    uint64_t room_recv;     /* rooms mode: messages of its room received so far */
    int hs_state;           /* handshake mode */
    uint64_t hs_start;
    char *hs_buf;
    int hs_have;
} conn_t;

/* Rooms mode: one per room; its K publishes in flight, each with its send time and members still to get it. */
typedef struct room {
    int publisher;          /* index of the connection that publishes */
    uint64_t published;     /* publishes sent so far */
    uint64_t *ts;           /* send time of publish n at [n % K] */
    int *left;              /* members that have not yet received publish n, at [n % K] */
} room_t;

static room_t *rooms;
static int room_count;

static conn_t *conns;
static int ep;
static volatile sig_atomic_t stop_flag;
static int measuring;
static uint64_t msgs, payload_bytes, errors;
static uint64_t recv_plain_bytes, recv_wire_bytes; /* payload bytes echoed, uncompressed and on the wire */
static uint64_t round_start, round_got; /* broadcast */
static int round_reported;              /* the server's "broadcast-done" for this round arrived */
static int server_reports;              /* whether this server sends them at all (seen once) */
static uint64_t server_us_sum, server_rounds;
static int opt_server_pid;              /* 0: do not measure the server's CPU */

/* User and system CPU of process pid in clock ticks (fields 14 and 15 of /proc/pid/stat); 0 on failure. */
static int read_cpu_ticks(int pid, unsigned long long *user, unsigned long long *sys) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    /* The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p) {
        return 0;
    }
    return sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", user, sys) == 2;
}

/*
 * Nanoseconds a process's threads spent runnable but waiting for a CPU (the second field of each
 * /proc/PID/task/TID/schedstat), summed; pid 0 is this process. On a shared machine this says how much of a
 * latency tail is the scheduler's: neither the server's code nor ours ran while it grew. 0 if unavailable.
 */
static unsigned long long runq_wait_ns(int pid) {
    char path[64];
    snprintf(path, sizeof path, pid > 0 ? "/proc/%d/task" : "/proc/self/task", pid);
    DIR *d = opendir(path);
    if (!d) {
        return 0;
    }
    unsigned long long total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char file[sizeof path + sizeof e->d_name + 16];
        snprintf(file, sizeof file, "%s/%s/schedstat", path, e->d_name);
        FILE *f = fopen(file, "r");
        if (!f) {
            continue;
        }
        unsigned long long run, wait;
        if (fscanf(f, "%llu %llu", &run, &wait) == 2) {
            total += wait;
        }
        fclose(f);
    }
    closedir(d);
    return total;
}

static double self_cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void die(const char *what) {
    fprintf(stderr, "loadgen: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(2);
}

static void fail(const char *what) {
    fprintf(stderr, "loadgen: %s\n", what);
    exit(2);
}

static void fail_tls(const char *what) {
    unsigned long e = ERR_get_error();
    fprintf(stderr, "loadgen: %s: %s\n", what, e ? ERR_error_string(e, NULL) : errno ? strerror(errno) : "TLS failure");
    exit(2);
}

/* Fails with what a failed SSL_connect says: OpenSSL's error, or the socket's (a reset, a time-out). */
static void fail_handshake(SSL *ssl, int r, int index) {
    int e = SSL_get_error(ssl, r);
    unsigned long code = ERR_get_error();
    fprintf(stderr, "loadgen: TLS handshake of connection %d failed (SSL_get_error %d): %s\n", index, e,
            code ? ERR_error_string(code, NULL) : errno == EAGAIN ? "timed out" : errno ? strerror(errno)
                                                                                   : "the server closed it");
    exit(2);
}

static void on_signal(int sig) {
    (void)sig;
    stop_flag = 1;
}

/* Reads like read(2), through TLS on a TLS connection: -1 with EAGAIN when nothing is ready, 0 at the end. */
static ssize_t conn_read(conn_t *c, void *buf, size_t n) {
    if (!c->ssl) {
        return read(c->fd, buf, n);
    }
    int r = SSL_read(c->ssl, buf, n > INT_MAX ? INT_MAX : (int)n);
    if (r > 0) {
        return r;
    }
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        errno = EAGAIN;
        return -1;
    }
    if (e == SSL_ERROR_ZERO_RETURN) {
        return 0;
    }
    if (e == SSL_ERROR_SYSCALL && errno == 0) {
        return 0;
    }
    ERR_clear_error();
    errno = EIO;
    return -1;
}

/* Writes like write(2), through TLS on a TLS connection (partial writes on: one record at a time). */
static ssize_t conn_write(conn_t *c, const void *buf, size_t n) {
    if (!c->ssl) {
        return write(c->fd, buf, n);
    }
    int r = SSL_write(c->ssl, buf, n > INT_MAX ? INT_MAX : (int)n);
    if (r > 0) {
        return r;
    }
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
        errno = EAGAIN;
        return -1;
    }
    ERR_clear_error();
    errno = EIO;
    return -1;
}

static void tls_init(void) {
    ssl_ctx = SSL_CTX_new(TLS_client_method());
    if (!ssl_ctx) {
        fail_tls("SSL_CTX_new");
    }
    /* The bench's certificate is self-signed: no verification. Nothing is resumed (no session is kept). */
    SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_session_cache_mode(ssl_ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ssl_ctx, SSL_OP_NO_TICKET | SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ssl_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (opt_tls == 13) {
        SSL_CTX_set_min_proto_version(ssl_ctx, TLS1_3_VERSION);
        SSL_CTX_set_max_proto_version(ssl_ctx, TLS1_3_VERSION);
        if (!SSL_CTX_set_ciphersuites(ssl_ctx, opt_ciphers ? opt_ciphers : "TLS_AES_128_GCM_SHA256")) {
            fail_tls("SSL_CTX_set_ciphersuites");
        }
    } else {
        SSL_CTX_set_min_proto_version(ssl_ctx, TLS1_2_VERSION);
        SSL_CTX_set_max_proto_version(ssl_ctx, TLS1_2_VERSION);
        if (!SSL_CTX_set_cipher_list(ssl_ctx, opt_ciphers ? opt_ciphers
                                              : "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256")) {
            fail_tls("SSL_CTX_set_cipher_list");
        }
    }
}

static SSL *tls_new(int fd) {
    SSL *ssl = SSL_new(ssl_ctx);
    if (!ssl || !SSL_set_fd(ssl, fd)) {
        fail_tls("SSL_new");
    }
    SSL_set_tlsext_host_name(ssl, "localhost");
    return ssl;
}

/* A masked frame carrying 'len' bytes of 'fill' (or 'payload' if given); rsv1 for a compressed message. */
static size_t build_frame(unsigned char *dst, int opcode, int rsv1, const unsigned char *payload, uint64_t len,
                          unsigned char fill) {
    static const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
    size_t h = 0;
    dst[h++] = (unsigned char)(0x80 | (rsv1 ? 0x40 : 0) | opcode);
    if (len < 126) {
        dst[h++] = (unsigned char)(0x80 | len);
    } else if (len <= 0xffff) {
        dst[h++] = 0x80 | 126;
        dst[h++] = (unsigned char)(len >> 8);
        dst[h++] = (unsigned char)len;
    } else {
        dst[h++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--) {
            dst[h++] = (unsigned char)(len >> (8 * i));
        }
    }
    memcpy(dst + h, key, 4);
    h += 4;
    for (uint64_t i = 0; i < len; i++) {
        unsigned char b = payload ? payload[i] : fill;
        dst[h + i] = b ^ key[i & 3];
    }
    return h + len;
}

/* The message a connection's n-th send (or echo) is. */
static int seq_index(uint64_t n) {
    if (n < (uint64_t)msg_count) {
        return (int)n;
    }
    return loop_from + (int)((n - (uint64_t)loop_from) % (uint64_t)(msg_count - loop_from));
}

static void set_events(conn_t *c, int out) {
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
        die("epoll_ctl");
    }
    c->want_out = out;
}

static void flush_out(conn_t *c) {
    while (c->out_left > 0) {
        size_t chunk = send_buf_len - c->out_pos;
        if (chunk > c->out_left) {
            chunk = (size_t)c->out_left;
        }
        ssize_t w = conn_write(c, send_buf + c->out_pos, chunk);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                if (!c->want_out) {
                    set_events(c, 1);
                }
                return;
            }
            die("write");
        }
        c->out_left -= (uint64_t)w;
        c->out_pos += (size_t)w;
        if (c->out_pos == send_buf_len) {
            c->out_pos = frame_off[loop_from];
        }
    }
    if (c->want_out) {
        set_events(c, 0);
    }
}

static void queue_message(conn_t *c, uint64_t now) {
    if (c->ts_count == c->ts_cap) {
        fail("too many messages in flight on one connection (the server fell more than a minute behind)");
    }
    int slot = (c->ts_head + c->ts_count) % c->ts_cap;
    c->ts[slot] = now;
    c->ts_count++;
    c->out_left += frame_size[seq_index(c->send_seq++)];
}

static void trigger_broadcast(uint64_t now) {
    round_start = now;
    round_got = 0;
    round_reported = 0;
    conns[0].out_left += frame_size[0];
    flush_out(&conns[0]);
}

static void round_check(uint64_t now) {
    if (round_got < (uint64_t)opt_conns || (server_reports && !round_reported)) {
        return;
    }
    if (measuring) {
        msgs += (uint64_t)opt_conns;
        payload_bytes += (uint64_t)opt_conns * expect_len;
    }
    if (!stop_flag) {
        trigger_broadcast(now);
    }
}

static void on_server_report(uint64_t micros, uint64_t now) {
    server_reports = 1;
    round_reported = 1;
    if (measuring) {
        server_us_sum += micros;
        server_rounds++;
    }
    round_check(now);
}

static void room_publish(room_t *r, uint64_t now) {
    int slot = (int)(r->published % (uint64_t)opt_inflight);
    r->ts[slot] = now;
    r->left[slot] = opt_room_size;
    r->published++;
    conns[r->publisher].out_left += frame_size[0];
    flush_out(&conns[r->publisher]);
}

static void on_room_message(conn_t *c, uint64_t now) {
    room_t *r = &rooms[(c - conns) / opt_room_size];
    uint64_t n = c->room_recv++;
    if (n >= r->published) {
        fail("a room member got a message that was never published");
    }
    int slot = (int)(n % (uint64_t)opt_inflight);
    if (measuring) {
        hist_record(now - r->ts[slot]);
        msgs++;
        payload_bytes += expect_len;
    }
    /* Members get a room's messages in order, so publish n is complete before n + 1 and its slot is free. */
    if (--r->left[slot] == 0 && !stop_flag) {
        room_publish(r, now);
    }
}

static void on_message(conn_t *c, uint64_t now) {
    if (opt_mode == MODE_ROOMS) {
        on_room_message(c, now);
        return;
    }
    if (opt_mode == MODE_BROADCAST) {
        if (++round_got == (uint64_t)opt_conns) {
            if (measuring) {
                hist_record(now - round_start);
            }
            round_check(now);
        }
        return;
    }
    if (c->ts_count == 0) {
        fail("an echo arrived that was never sent");
    }
    uint64_t sent = c->ts[c->ts_head];
    c->ts_head = (c->ts_head + 1) % c->ts_cap;
    c->ts_count--;
    c->recv_seq++;
    tl_latency(now, now - sent);
    if (measuring) {
        hist_record(now - sent);
        msgs++;
        payload_bytes += opt_mode == MODE_RAW ? opt_size : expect_len;
    }
    if (opt_mode == MODE_IDLE) {
        if (++idle_echoed == opt_conns) {
            printf("ready %d\n", opt_conns);
            fflush(stdout);
        }
        return;
    }
    if (!stop_flag && opt_mode != MODE_RATE) {
        queue_message(c, now);
    }
}

/* Checks echoed payload bytes p[0..n) against what the connection's current message must hold. */
static void validate(conn_t *c, const unsigned char *p, size_t n) {
    if (opt_mode != MODE_ECHO && opt_mode != MODE_RATE && opt_mode != MODE_IDLE) {
        return;
    }
    if (c->val_off + n > expect_len) {
        fail("an echoed message is longer than the one sent");
    }
    const unsigned char *want = msg_payload[seq_index(c->recv_seq)] + c->val_off;
    if (memcmp(p, want, n) != 0) {
        for (size_t i = 0; i < n; i++) {
            if (p[i] != want[i]) {
                fprintf(stderr, "loadgen: echoed byte %llu of message %llu is 0x%02x, sent 0x%02x\n",
                        (unsigned long long)(c->val_off + i), (unsigned long long)c->recv_seq, p[i], want[i]);
                break;
            }
        }
        exit(2);
    }
    c->val_off += n;
}

/* Inflates compressed payload bytes p[0..n) of the current message and validates what comes out. */
static void inflate_some(conn_t *c, const unsigned char *p, size_t n) {
    static unsigned char out[1 << 16];
    z_stream *z = c->inflater;
    z->next_in = (unsigned char *)p;
    z->avail_in = (uInt)n;
    do {
        z->next_out = out;
        z->avail_out = sizeof out;
        int r = inflate(z, Z_SYNC_FLUSH);
        if (r == Z_STREAM_END) {
            /* A final block (allowed, if unusual): the next message starts a new stream. */
            validate(c, out, sizeof out - z->avail_out);
            inflateReset(z);
            break;
        }
        if (r != Z_OK && r != Z_BUF_ERROR) {
            fprintf(stderr, "loadgen: inflating an echoed message: %s\n", z->msg ? z->msg : "zlib error");
            exit(2);
        }
        size_t produced = sizeof out - z->avail_out;
        validate(c, out, produced);
        if (r == Z_BUF_ERROR && produced == 0) {
            break;
        }
    } while (z->avail_in > 0 || z->avail_out == 0);
}

static void frame_done(conn_t *c, uint64_t now) {
    if (c->opcode == 0x9 || c->opcode == 0xA) {
        return; /* ping/pong: not a message; the servers under test do not ping within a run */
    }
    if (c->opcode == 0x8) {
        fail("the server sent a Close frame");
    }
    if (c->report) {
        c->cap[c->cap_len] = 0;
        if (strncmp(c->cap, "broadcast-done:", 15) != 0) {
            fail("unexpected text message in broadcast mode");
        }
        on_server_report(strtoull(c->cap + 15, NULL, 10), now);
        return;
    }
    if (c->fin) {
        if (c->compressed) {
            /* RFC 7692 section 7.2.2: the sender removed this empty stored block's tail; put it back. */
            static const unsigned char tail[4] = {0x00, 0x00, 0xff, 0xff};
            inflate_some(c, tail, sizeof tail);
        }
        if (!c->compressed && c->msg_have != expect_len) {
            fail("an echoed message has the wrong length");
        }
        if ((opt_mode == MODE_ECHO || opt_mode == MODE_RATE || opt_mode == MODE_IDLE) && c->val_off != expect_len) {
            fail("an echoed message has the wrong length");
        }
        if (measuring) {
            recv_wire_bytes += c->msg_have;
            recv_plain_bytes += expect_len;
        }
        c->in_message = 0;
        c->msg_have = 0;
        c->val_off = 0;
        c->compressed = 0;
        on_message(c, now);
    }
}

/* Parses server frames in p[0..n): unmasked, the expected opcode, length and payload. */
static void consume(conn_t *c, const unsigned char *p, size_t n, uint64_t now) {
    if (opt_mode == MODE_RAW) {
        c->raw_in += n;
        while (c->raw_in >= opt_size) {
            c->raw_in -= opt_size;
            on_message(c, now);
        }
        return;
    }
    while (n > 0) {
        if (c->in_payload) {
            uint64_t take = c->pay_left < n ? c->pay_left : n;
            if (c->report) {
                memcpy(c->cap + c->cap_len, p, (size_t)take);
                c->cap_len += (int)take;
            } else if (c->opcode < 0x8) {
                if (c->compressed) {
                    inflate_some(c, p, (size_t)take);
                } else {
                    validate(c, p, (size_t)take);
                }
            }
            c->pay_left -= take;
            p += take;
            n -= (size_t)take;
            if (c->pay_left == 0) {
                c->in_payload = 0;
                frame_done(c, now);
            }
            continue;
        }
        int need = 2;
        if (c->hdr_have >= 2) {
            if (c->hdr[1] & 0x80) {
                fail("the server sent a masked frame");
            }
            int l7 = c->hdr[1] & 0x7f;
            need = l7 == 126 ? 4 : l7 == 127 ? 10 : 2;
        }
        while (c->hdr_have < need && n > 0) {
            c->hdr[c->hdr_have++] = *p++;
            n--;
            if (c->hdr_have == 2) {
                int l7 = c->hdr[1] & 0x7f;
                need = l7 == 126 ? 4 : l7 == 127 ? 10 : 2;
            }
        }
        if (c->hdr_have < need) {
            return;
        }
        uint64_t len = c->hdr[1] & 0x7f;
        if (len == 126) {
            len = ((uint64_t)c->hdr[2] << 8) | c->hdr[3];
        } else if (len == 127) {
            len = 0;
            for (int i = 2; i < 10; i++) {
                len = (len << 8) | c->hdr[i];
            }
        }
        c->opcode = c->hdr[0] & 0x0f;
        c->hdr_have = 0;
        int rsv = c->hdr[0] & 0x70;
        c->report = opt_mode == MODE_BROADCAST && c->opcode == 0x1;
        if (c->report) {
            /* The server's own timing of a broadcast round, "broadcast-done:<microseconds>". */
            if (!(c->hdr[0] & 0x80) || len >= sizeof c->cap || rsv) {
                fail("unexpected text frame in broadcast mode");
            }
            c->cap_len = 0;
        } else if (c->opcode < 0x8) {
            /* A message may come in fragments (some servers cut large ones): opcode, then continuations. */
            int first = c->opcode != 0x0;
            /* RSV1 marks a compressed message, on its first frame only (RFC 7692 section 6). */
            int rsv_ok = rsv == 0 || (rsv == 0x40 && first && neg_deflate == 1);
            int comp = first ? rsv != 0 : c->compressed;
            if (first == c->in_message || (first && c->opcode != expect_opcode) || !rsv_ok
                || (!comp && c->msg_have + len > expect_len)) {
                fprintf(stderr, "loadgen: unexpected frame: b0=0x%02x length=%llu (want opcode %d length %llu)\n",
                        c->hdr[0], (unsigned long long)len, expect_opcode, (unsigned long long)expect_len);
                exit(2);
            }
            if (first) {
                c->compressed = rsv != 0;
            }
            c->in_message = 1;
            c->msg_have += len;
            c->fin = (c->hdr[0] & 0x80) != 0;
        } else if (rsv) {
            fail("the server set an RSV bit on a control frame");
        }
        if (len == 0) {
            frame_done(c, now);
        } else {
            c->in_payload = 1;
            c->pay_left = len;
        }
    }
}

/* The port connection j connects to (see --port2). */
static int port_of(int j) {
    int k = opt_room_size > 0 ? j / opt_room_size : 0;
    return opt_port2 > 0 && (j + k) % 2 == 1 ? opt_port2 : opt_port;
}

static void bind_source(int fd, int index) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    struct sockaddr_in src = {.sin_family = AF_INET};
    src.sin_addr.s_addr = htonl((127u << 24) | (uint32_t)(10 + index % 200));
    if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) {
        die("bind");
    }
}

static struct sockaddr_in server_address(int port) {
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, opt_host, &dst.sin_addr) != 1) {
        fail("bad --host");
    }
    return dst;
}

static int open_socket(int index) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        die("socket");
    }
    bind_source(fd, index);
    /* A bound on a hang only: a full TLS handshake with a cold JIT on a busy machine can take most of a second. */
    struct timeval tv = {.tv_sec = 30};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in dst = server_address(port_of(index));
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0) {
        die("connect");
    }
    return fd;
}

/* The upgrade request for a path, with the permessage-deflate offer when asked for. */
static int build_request(char *req, size_t cap, const char *path, int port) {
    char ext[160] = "";
    if (opt_deflate) {
        snprintf(ext, sizeof ext, "Sec-WebSocket-Extensions: permessage-deflate%s%s\r\n",
                 opt_client_no_context ? "; client_no_context_takeover" : "",
                 opt_server_no_context ? "; server_no_context_takeover" : "");
    }
    return snprintf(req, cap,
                    "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s\r\n",
                    path, opt_host, port, ext);
}

/* Checks a whole handshake response: 101, the accept value, and the extension as offered. */
static void check_response(const char *buf) {
    if (strncmp(buf, "HTTP/1.1 101", 12) != 0) {
        fprintf(stderr, "loadgen: expected 101, got: %.80s\n", buf);
        exit(2);
    }
    /* RFC 6455 section 1.3: the accept value for the sample key. */
    if (!strstr(buf, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")) {
        fail("wrong or missing Sec-WebSocket-Accept");
    }
    int deflate = 0, cnc = 0, snc = 0;
    const char *h = strcasestr(buf, "\r\nSec-WebSocket-Extensions:");
    if (h) {
        char line[512];
        const char *v = h + 27, *end = strstr(v, "\r\n");
        size_t n = end ? (size_t)(end - v) : strlen(v);
        if (n >= sizeof line) {
            fail("Sec-WebSocket-Extensions too long");
        }
        memcpy(line, v, n);
        line[n] = 0;
        deflate = strcasestr(line, "permessage-deflate") != NULL;
        cnc = strcasestr(line, "client_no_context_takeover") != NULL;
        snc = strcasestr(line, "server_no_context_takeover") != NULL;
        const char *w = strcasestr(line, "client_max_window_bits");
        if (w && w[22] == '=' && atoi(w + 23) != 15) {
            fail("the server asked for a client window below 15 bits, which this load generator does not offer");
        }
    }
    if (deflate != opt_deflate) {
        fail(opt_deflate ? "the server did not accept permessage-deflate" : "the server agreed an extension not offered");
    }
    if (opt_server_no_context && !snc) {
        fail("the server did not accept server_no_context_takeover");
    }
    if (neg_deflate < 0) {
        neg_deflate = deflate;
        neg_client_no_context = cnc;
        neg_server_no_context = snc;
    } else if (neg_deflate != deflate || neg_client_no_context != cnc || neg_server_no_context != snc) {
        fail("connections agreed different permessage-deflate parameters");
    }
}

static void read_handshake_response(conn_t *c) {
    char buf[4096];
    size_t have = 0;
    for (;;) {
        /* Byte-exact reads stop at the blank line: nothing of the frame stream is consumed here. */
        ssize_t r = conn_read(c, buf + have, 1);
        if (r <= 0) {
            die("reading the handshake response");
        }
        have++;
        if (have >= 4 && memcmp(buf + have - 4, "\r\n\r\n", 4) == 0) {
            break;
        }
        if (have == sizeof buf - 1) {
            fail("handshake response too long");
        }
    }
    buf[have] = 0;
    check_response(buf);
}

/* Connects all N in batches small enough for any server's accept backlog, then goes non-blocking. */
static void open_all(void) {
    char req[512], path[32];
    const int batch = 64;
    for (int i = 0; i < opt_conns; i += batch) {
        int end = i + batch < opt_conns ? i + batch : opt_conns;
        for (int j = i; j < end; j++) {
            if (opt_room_size > 0) {
                snprintf(path, sizeof path, "/room/%d", j / opt_room_size);
            } else {
                strcpy(path, "/");
            }
            int req_len = build_request(req, sizeof req, path, port_of(j));
            conns[j].fd = open_socket(j);
            if (opt_tls) {
                conns[j].ssl = tls_new(conns[j].fd);
                int r = SSL_connect(conns[j].ssl);
                if (r != 1) {
                    fail_handshake(conns[j].ssl, r, j);
                }
            }
            if (opt_mode != MODE_RAW && conn_write(&conns[j], req, (size_t)req_len) != req_len) {
                die("writing the handshake");
            }
        }
        if (opt_mode != MODE_RAW) {
            for (int j = i; j < end; j++) {
                read_handshake_response(&conns[j]);
            }
        }
    }
    for (int j = 0; j < opt_conns; j++) {
        fcntl(conns[j].fd, F_SETFL, fcntl(conns[j].fd, F_GETFL) | O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[j]};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[j].fd, &ev) < 0) {
            die("epoll_ctl add");
        }
        if (neg_deflate == 1) {
            conns[j].inflater = calloc(1, sizeof(z_stream));
            if (!conns[j].inflater || inflateInit2(conns[j].inflater, -15) != Z_OK) {
                fail("inflateInit2");
            }
        }
    }
}

/* Handshake mode: K connections each open, upgrade, get their 101, close, and start again. */
static char hs_request[512];
static int hs_request_len;
static uint64_t hs_opened;

static void hs_events(conn_t *c, int out) {
    struct epoll_event ev = {.events = out ? EPOLLOUT : EPOLLIN, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
        die("epoll_ctl");
    }
}

static void hs_begin(conn_t *c, uint64_t now) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0) {
        die("socket");
    }
    bind_source(c->fd, (int)(hs_opened++ % 200));
    struct sockaddr_in dst = server_address(opt_port);
    if (connect(c->fd, (struct sockaddr *)&dst, sizeof dst) < 0 && errno != EINPROGRESS) {
        die("connect");
    }
    c->ssl = NULL;
    c->hs_state = HS_CONNECT;
    c->hs_start = now;
    c->hs_have = 0;
    struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
        die("epoll_ctl add");
    }
}

static void hs_step(conn_t *c, uint64_t now) {
    for (;;) {
        switch (c->hs_state) {
        case HS_CONNECT: {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
                errno = err;
                die("connect");
            }
            if (opt_tls) {
                c->ssl = tls_new(c->fd);
                c->hs_state = HS_TLS;
            } else {
                c->hs_state = HS_REQUEST;
            }
            break;
        }
        case HS_TLS: {
            int r = SSL_connect(c->ssl);
            if (r == 1) {
                c->hs_state = HS_REQUEST;
                break;
            }
            int e = SSL_get_error(c->ssl, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                hs_events(c, e == SSL_ERROR_WANT_WRITE);
                return;
            }
            fail_handshake(c->ssl, r, (int)(c - conns));
            return;
        }
        case HS_REQUEST: {
            ssize_t w = conn_write(c, hs_request, (size_t)hs_request_len);
            if (w < 0 && errno == EAGAIN) {
                hs_events(c, 1);
                return;
            }
            if (w != hs_request_len) {
                die("writing the handshake");
            }
            c->hs_state = HS_RESPONSE;
            hs_events(c, 0);
            break;
        }
        case HS_RESPONSE: {
            ssize_t r = conn_read(c, c->hs_buf + c->hs_have, 4095 - (size_t)c->hs_have);
            if (r < 0 && errno == EAGAIN) {
                return;
            }
            if (r <= 0) {
                die("reading the handshake response");
            }
            c->hs_have += (int)r;
            c->hs_buf[c->hs_have] = 0;
            if (!strstr(c->hs_buf, "\r\n\r\n")) {
                if (c->hs_have == 4095) {
                    fail("handshake response too long");
                }
                break;
            }
            check_response(c->hs_buf);
            if (measuring) {
                hist_record(now - c->hs_start);
                msgs++;
            }
            /* A Close (1000) and away: the server's answer is not awaited, as a client leaving would. */
            static const unsigned char close_frame[8] = {0x88, 0x82, 0x37, 0xfa, 0x21, 0x3d, 0x03 ^ 0x37, 0xe8 ^ 0xfa};
            /* Best effort: a server that has already gone is not this measurement's concern. */
            (void)conn_write(c, close_frame, sizeof close_frame);
            if (c->ssl) {
                SSL_shutdown(c->ssl);
                SSL_free(c->ssl);
                c->ssl = NULL;
                ERR_clear_error();
            }
            close(c->fd);
            if (!stop_flag) {
                hs_begin(c, now);
            }
            return;
        }
        }
    }
}

/* JSON-like chat messages of exactly 'size' bytes, from the fixed seed: varied ids, names, times and words. */
static uint64_t rng_state;

static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void json_message(unsigned char *dst, size_t size, uint64_t n) {
    static const char *types[] = {"message", "reaction", "typing", "edit"};
    static const char *words[] = {"the", "build", "is", "green", "again", "after", "merging", "review", "please",
                                  "deploy", "tomorrow", "morning", "thanks", "latency", "looks", "fine", "on",
                                  "staging", "can", "you", "check", "ticket", "room", "lunch", "coffee", "ok",
                                  "release", "notes", "queue", "server", "client", "meeting", "moved", "to",
                                  "friday", "ship", "it", "later", "done", "nice", "work", "flaky", "test"};
    size_t cap = size + 512;
    char *buf = malloc(cap);
    uint64_t user = rnd() % 5000;
    int len = snprintf(buf, cap,
                       "{\"id\":%llu,\"type\":\"%s\",\"room\":\"room-%llu\",\"user\":{\"id\":%llu,\"name\":\"user-%llu\","
                       "\"online\":%s},\"ts\":%llu,\"seq\":%llu,\"text\":\"",
                       (unsigned long long)(1000000 + n), types[rnd() % 4], (unsigned long long)(rnd() % 300),
                       (unsigned long long)user, (unsigned long long)user, rnd() % 2 ? "true" : "false",
                       (unsigned long long)(1765000000000ull + n * 1379 + rnd() % 1000), (unsigned long long)n);
    while ((size_t)len < size) {
        const char *w = words[rnd() % (sizeof words / sizeof *words)];
        len += snprintf(buf + len, cap - (size_t)len, "%s%s", w, rnd() % 9 ? " " : ". ");
    }
    if (size >= 2) {
        memcpy(dst, buf, size - 2);
        memcpy(dst + size - 2, "\"}", 2);
    } else {
        memcpy(dst, buf, size);
    }
    free(buf);
}

static void prepare_frames(void) {
    frame_off = calloc(8192, sizeof *frame_off);
    frame_size = calloc(8192, sizeof *frame_size);
    msg_payload = calloc(8192, sizeof *msg_payload);
    if (opt_mode == MODE_BROADCAST) {
        char trig[64];
        int n = snprintf(trig, sizeof trig, "broadcast:%zu", opt_size);
        send_buf = malloc(64);
        frame_size[0] = build_frame(send_buf, 0x1, 0, (const unsigned char *)trig, (uint64_t)n, 0);
        send_buf_len = frame_size[0];
        msg_count = 1;
        expect_opcode = 0x2;
        expect_len = opt_size;
        return;
    }
    /* The distinct payloads: one of 'x' bytes, or enough JSON-like ones to fill DEFLATE's window twice. */
    int distinct = 1;
    if (opt_json) {
        distinct = (int)((65536 + opt_size - 1) / opt_size);
        if (distinct > 4096) {
            distinct = 4096;
        }
    }
    unsigned char **payloads = calloc((size_t)distinct, sizeof *payloads);
    rng_state = opt_seed * 0x9E3779B97F4A7C15ull + 1;
    for (int i = 0; i < distinct; i++) {
        payloads[i] = malloc(opt_size);
        if (!payloads[i]) {
            fail("out of memory");
        }
        if (opt_json) {
            json_message(payloads[i], opt_size, (uint64_t)i);
        } else {
            memset(payloads[i], 'x', opt_size);
        }
    }
    int compress = neg_deflate == 1;
    int fresh_each = opt_client_no_context || neg_client_no_context;
    if (compress && !fresh_each) {
        /* One stream over two passes; the second pass refers only to data any later pass also has behind it. */
        msg_count = 2 * distinct;
        loop_from = distinct;
    } else if (distinct > 1 || compress) {
        msg_count = distinct;
        loop_from = 0;
    } else {
        /* Several copies back to back so one write() carries a whole burst of small messages. */
        size_t frame = opt_mode == MODE_RAW ? opt_size : opt_size + 14;
        msg_count = opt_inflight;
        if ((size_t)msg_count * frame > (4u << 20)) {
            msg_count = 1;
        }
        if (msg_count > 8192) {
            msg_count = 8192;
        }
        loop_from = 0;
    }
    size_t per = opt_size + 14 + (compress ? opt_size / 100 + 64 : 0);
    send_buf = malloc((size_t)msg_count * per);
    unsigned char *packed = compress ? malloc(opt_size + opt_size / 100 + 64) : NULL;
    z_stream z = {0};
    if (compress && deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        fail("deflateInit2");
    }
    if (!send_buf || (compress && !packed)) {
        fail("out of memory");
    }
    size_t off = 0;
    expect_opcode = opt_json || opt_text ? 0x1 : 0x2;
    for (int i = 0; i < msg_count; i++) {
        const unsigned char *plain = payloads[i % distinct];
        msg_payload[i] = plain;
        frame_off[i] = off;
        if (opt_mode == MODE_RAW) {
            memcpy(send_buf + off, plain, opt_size);
            frame_size[i] = opt_size;
        } else if (compress) {
            if (fresh_each) {
                deflateReset(&z);
            }
            z.next_in = (unsigned char *)plain;
            z.avail_in = (uInt)opt_size;
            z.next_out = packed;
            z.avail_out = (uInt)(opt_size + opt_size / 100 + 64);
            if (deflate(&z, Z_SYNC_FLUSH) != Z_OK || z.avail_in != 0 || z.avail_out == 0) {
                fail("deflate");
            }
            /* RFC 7692 section 7.2.1: without the empty stored block's 00 00 ff ff that ends a sync flush. */
            size_t packed_len = opt_size + opt_size / 100 + 64 - z.avail_out - 4;
            frame_size[i] = build_frame(send_buf + off, expect_opcode, 1, packed, packed_len, 0);
            if (i >= loop_from) {
                sent_plain_bytes += opt_size;
                sent_wire_bytes += packed_len;
            }
        } else {
            frame_size[i] = build_frame(send_buf + off, expect_opcode, 0, plain, opt_size, 0);
        }
        off += frame_size[i];
    }
    if (compress) {
        deflateEnd(&z);
        free(packed);
    }
    send_buf_len = off;
    expect_len = opt_size;
}

static void usage(void) {
    fprintf(stderr,
            "usage: loadgen [--host 127.0.0.1] --port P [--mode echo|raw|idle|broadcast|rooms|rate|handshake]\n"
            "               [--conns N] [--inflight K] [--size BYTES] [--duration S] [--warmup S] [--text]\n"
            "               [--server-pid P] [--room-size R] [--port2 Q] [--rate PER_S] [--tls 1.2|1.3 [--ciphers LIST]]\n"
            "               [--deflate [--client-no-context] [--server-no-context]] [--payload x|json] [--seed N]\n"
            "               [--echo-once]   (idle mode)   [--baseline S]   (with --server-pid)   [--timeline FILE]\n");
    exit(64);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--text")) {
            opt_text = 1;
            continue;
        }
        if (!strcmp(a, "--deflate")) {
            opt_deflate = 1;
            continue;
        }
        if (!strcmp(a, "--client-no-context")) {
            opt_client_no_context = 1;
            continue;
        }
        if (!strcmp(a, "--server-no-context")) {
            opt_server_no_context = 1;
            continue;
        }
        if (!strcmp(a, "--echo-once")) {
            opt_echo_once = 1;
            continue;
        }
        if (!v) {
            usage();
        }
        i++;
        if (!strcmp(a, "--host")) opt_host = v;
        else if (!strcmp(a, "--port")) opt_port = atoi(v);
        else if (!strcmp(a, "--port2")) opt_port2 = atoi(v);
        else if (!strcmp(a, "--conns")) opt_conns = atoi(v);
        else if (!strcmp(a, "--inflight")) opt_inflight = atoi(v);
        else if (!strcmp(a, "--size")) opt_size = (size_t)strtoull(v, NULL, 10);
        else if (!strcmp(a, "--duration")) opt_duration = atof(v);
        else if (!strcmp(a, "--warmup")) opt_warmup = atof(v);
        else if (!strcmp(a, "--server-pid")) opt_server_pid = atoi(v);
        else if (!strcmp(a, "--room-size")) opt_room_size = atoi(v);
        else if (!strcmp(a, "--rate")) opt_rate = atof(v);
        else if (!strcmp(a, "--seed")) opt_seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--ciphers")) opt_ciphers = v;
        else if (!strcmp(a, "--baseline")) opt_baseline = atof(v);
        else if (!strcmp(a, "--timeline")) opt_timeline = v;
        else if (!strcmp(a, "--tls")) {
            if (!strcmp(v, "1.3")) opt_tls = 13;
            else if (!strcmp(v, "1.2")) opt_tls = 12;
            else usage();
        } else if (!strcmp(a, "--payload")) {
            if (!strcmp(v, "json")) opt_json = 1;
            else if (strcmp(v, "x") != 0) usage();
        } else if (!strcmp(a, "--mode")) {
            if (!strcmp(v, "echo")) opt_mode = MODE_ECHO;
            else if (!strcmp(v, "raw")) opt_mode = MODE_RAW;
            else if (!strcmp(v, "idle")) opt_mode = MODE_IDLE;
            else if (!strcmp(v, "broadcast")) opt_mode = MODE_BROADCAST;
            else if (!strcmp(v, "rooms")) opt_mode = MODE_ROOMS;
            else if (!strcmp(v, "rate")) opt_mode = MODE_RATE;
            else if (!strcmp(v, "handshake")) opt_mode = MODE_HANDSHAKE;
            else usage();
        } else usage();
    }
    if (opt_conns < 1 || opt_inflight < 1 || opt_size < 1 || opt_duration <= 0 || opt_room_size < 0 || opt_rate <= 0
        || (opt_mode == MODE_ROOMS && (opt_room_size < 1 || opt_conns % opt_room_size != 0))
        || ((opt_client_no_context || opt_server_no_context) && !opt_deflate)
        || (opt_mode == MODE_RAW && (opt_tls || opt_deflate))) {
        usage();
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    if (opt_tls) {
        tls_init();
    }

    ep = epoll_create1(0);
    if (ep < 0) {
        die("epoll_create1");
    }
    conns = calloc((size_t)opt_conns, sizeof *conns);
    for (int j = 0; j < opt_conns; j++) {
        conns[j].ts_cap = opt_mode == MODE_RATE ? RATE_MAX_INFLIGHT : opt_inflight;
        conns[j].ts = calloc((size_t)conns[j].ts_cap, sizeof(uint64_t));
    }
    uint64_t t_setup = now_ns();
    if (opt_mode == MODE_HANDSHAKE) {
        hs_request_len = build_request(hs_request, sizeof hs_request, "/", opt_port);
    } else {
        open_all();
        prepare_frames();
    }
    double setup_s = (double)(now_ns() - t_setup) / 1e9;
    /* The server's CPU use while its connections are open and silent, in cores; -1 if not measured. */
    double idle_util = -1;
    unsigned long long bu0, bs0, bu1, bs1;
    if (opt_baseline > 0 && opt_server_pid > 0 && read_cpu_ticks(opt_server_pid, &bu0, &bs0)) {
        uint64_t b0 = now_ns();
        struct timespec pause = {.tv_sec = (time_t)opt_baseline,
                                 .tv_nsec = (long)((opt_baseline - (double)(time_t)opt_baseline) * 1e9)};
        while (nanosleep(&pause, &pause) < 0 && errno == EINTR && !stop_flag) {
        }
        double span = (double)(now_ns() - b0) / 1e9;
        if (read_cpu_ticks(opt_server_pid, &bu1, &bs1)) {
            idle_util = (double)(bu1 - bu0 + bs1 - bs0) / (double)sysconf(_SC_CLK_TCK) / span;
        }
    }
    if (opt_mode == MODE_ROOMS) {
        room_count = opt_conns / opt_room_size;
        rooms = calloc((size_t)room_count, sizeof *rooms);
        for (int k = 0; k < room_count; k++) {
            rooms[k].publisher = k * opt_room_size;
            rooms[k].ts = calloc((size_t)opt_inflight, sizeof(uint64_t));
            rooms[k].left = calloc((size_t)opt_inflight, sizeof(int));
        }
    }

    static unsigned char rbuf[1 << 20];
    struct epoll_event evs[512];
    uint64_t start = now_ns();
    if (opt_timeline) {
        timeline_start = start;
        timeline_len = (size_t)((opt_warmup + opt_duration) * 1e9 / TL_WINDOW_NS) + 2;
        timeline = calloc(timeline_len, sizeof *timeline);
    }
    uint64_t warm_end = start + (uint64_t)(opt_warmup * 1e9);
    uint64_t end = warm_end + (uint64_t)(opt_duration * 1e9);
    uint64_t dropped = 0;
    /* rate mode: the connections send in turn, one every 1 / (rate x N) seconds */
    uint64_t rate_gap = (uint64_t)(1e9 / (opt_rate * opt_conns));
    uint64_t next_send = start;
    int next_conn = 0;

    if (opt_mode == MODE_IDLE) {
        end = start + (uint64_t)(opt_duration * 1e9);
        if (opt_echo_once) {
            for (int j = 0; j < opt_conns; j++) {
                queue_message(&conns[j], start);
                flush_out(&conns[j]);
            }
        } else {
            idle_echoed = opt_conns;
            printf("ready %d\n", opt_conns);
            fflush(stdout);
        }
    } else if (opt_mode == MODE_BROADCAST) {
        trigger_broadcast(start);
    } else if (opt_mode == MODE_ROOMS) {
        for (int k = 0; k < room_count; k++) {
            for (int i = 0; i < opt_inflight; i++) {
                room_publish(&rooms[k], start);
            }
        }
    } else if (opt_mode == MODE_HANDSHAKE) {
        for (int j = 0; j < opt_conns; j++) {
            conns[j].hs_buf = malloc(4096);
            hs_begin(&conns[j], start);
        }
    } else if (opt_mode != MODE_RATE) {
        for (int j = 0; j < opt_conns; j++) {
            for (int k = 0; k < opt_inflight; k++) {
                queue_message(&conns[j], start);
            }
            flush_out(&conns[j]);
        }
    }

    uint64_t t0 = start;
    unsigned long long su0 = 0, ss0 = 0;
    int cpu_ok = 0;
    double self0 = 0;
    unsigned long long self_wait0 = 0, server_wait0 = 0;
    for (;;) {
        uint64_t now = now_ns();
        if (now >= end || stop_flag) {
            break;
        }
        if (!measuring && now >= warm_end && opt_mode != MODE_IDLE) {
            measuring = 1;
            msgs = payload_bytes = 0;
            recv_plain_bytes = recv_wire_bytes = 0;
            memset(hist, 0, sizeof hist);
            hist_count = 0;
            t0 = now;
            self0 = self_cpu_s();
            cpu_ok = opt_server_pid > 0 && read_cpu_ticks(opt_server_pid, &su0, &ss0);
            self_wait0 = runq_wait_ns(0);
            server_wait0 = opt_server_pid > 0 ? runq_wait_ns(opt_server_pid) : 0;
        }
        int timeout_ms = 50;
        if (opt_mode == MODE_RATE) {
            /* At most RATE_BURST sends between two looks at what arrived: a generator that fell behind catches
             * up on its schedule without leaving echoes unread (and their latencies growing) meanwhile. */
            int burst = 0;
            while (now >= next_send && burst++ < RATE_BURST) {
                conn_t *c = &conns[next_conn];
                queue_message(c, now);
                flush_out(c);
                tl_sent(now, now - next_send);
                next_conn = (next_conn + 1) % opt_conns;
                next_send += rate_gap;
            }
            uint64_t wait_ns = next_send > now ? next_send - now : 0;
            timeout_ms = (int)((wait_ns + 999999) / 1000000);
            if (timeout_ms > 50) {
                timeout_ms = 50;
            }
        }
        int n = epoll_wait(ep, evs, 512, timeout_ms);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("epoll_wait");
        }
        now = now_ns();
        for (int i = 0; i < n; i++) {
            conn_t *c = evs[i].data.ptr;
            if (opt_mode == MODE_HANDSHAKE) {
                hs_step(c, now);
                continue;
            }
            int gone = 0;
            /* TLS may hold decrypted bytes the socket no longer shows: read until it has nothing. */
            while (!gone && (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
                ssize_t r = conn_read(c, rbuf, sizeof rbuf);
                if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                    if (opt_mode == MODE_IDLE) {
                        dropped++;
                        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                        close(c->fd);
                        gone = 1;
                        break;
                    }
                    fail("the server closed a connection");
                }
                if (r < 0) {
                    break;
                }
                if (opt_mode == MODE_IDLE && idle_echoed == opt_conns) {
                    /* A keepalive Ping, in practice (a Duplex server pings a connection it has not heard
                     * from for 30 s and closes it 20 s later if nothing arrives). Answer as a live client
                     * would, with an unsolicited empty Pong (RFC 6455 section 5.5.3), so that the
                     * connections stay held however long the measurement takes. */
                    static const unsigned char pong[6] = {0x8A, 0x80, 0x37, 0xfa, 0x21, 0x3d};
                    if (conn_write(c, pong, sizeof pong) < 0 && errno != EAGAIN && errno != EINTR) {
                        die("write (pong)");
                    }
                } else {
                    consume(c, rbuf, (size_t)r, now);
                }
                if (!c->ssl) {
                    break;
                }
            }
            if (!gone && (c->out_left > 0 || (evs[i].events & EPOLLOUT))) {
                flush_out(c);
            }
        }
    }
    if (opt_timeline) {
        tl_write();
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    unsigned long long su1 = 0, ss1 = 0;
    cpu_ok = cpu_ok && read_cpu_ticks(opt_server_pid, &su1, &ss1);
    double self_util = measuring ? (self_cpu_s() - self0) / secs : 0;
    /* Run-queue wait as a share of the window: 0.3 means its threads together waited 0.3 s per second. */
    double self_wait = measuring ? (double)(runq_wait_ns(0) - self_wait0) / 1e9 / secs : 0;
    double server_wait = measuring && opt_server_pid > 0
        ? (double)(runq_wait_ns(opt_server_pid) - server_wait0) / 1e9 / secs : 0;

    static const char *mode_names[] = {"echo", "raw", "idle", "broadcast", "rooms", "rate", "handshake"};
    const char *mode = mode_names[opt_mode];
    if (opt_mode == MODE_IDLE) {
        printf("mode=idle conns=%d setup_s=%.2f held_s=%.2f dropped=%llu%s%s\n", opt_conns, setup_s, secs,
               (unsigned long long)dropped, opt_tls ? " tls=" : "", opt_tls ? SSL_get_version(conns[0].ssl) : "");
        return dropped == 0 ? 0 : 1;
    }
    if (opt_mode == MODE_BROADCAST && server_rounds > 0) {
        /* Deliveries per second of the server's own fan-out time (trigger read to last frame written). */
        printf("server_fanout_us=%.0f server_deliveries_per_s=%.0f ",
               (double)server_us_sum / (double)server_rounds,
               (double)opt_conns * (double)server_rounds / ((double)server_us_sum / 1e6));
    }
    if (cpu_ok && msgs > 0) {
        /* Per message on the wire each way: an echo counts once, a broadcast delivery once (a handshake once). */
        double tick_us = 1e6 / (double)sysconf(_SC_CLK_TCK);
        double user_us = (double)(su1 - su0) * tick_us, sys_us = (double)(ss1 - ss0) * tick_us;
        printf("server_user_us_per_msg=%.3f server_sys_us_per_msg=%.3f server_cpu_us_per_msg=%.3f "
               "server_cpu_util=%.2f ",
               user_us / (double)msgs, sys_us / (double)msgs, (user_us + sys_us) / (double)msgs,
               (user_us + sys_us) / 1e6 / secs);
        if (idle_util >= 0) {
            printf("server_idle_cpu_util=%.3f server_net_cpu_us_per_msg=%.3f ", idle_util,
                   (user_us + sys_us - idle_util * secs * 1e6) / (double)msgs);
        }
    }
    printf("loadgen_cpu_util=%.2f loadgen_runq_wait=%.3f ", self_util, self_wait);
    if (opt_server_pid > 0) {
        printf("server_runq_wait=%.3f ", server_wait);
    }
    if (opt_room_size > 0) {
        printf("room_size=%d ", opt_room_size);
    }
    if (opt_tls && opt_mode != MODE_HANDSHAKE) {
        printf("tls=%s cipher=%s ", SSL_get_version(conns[0].ssl), SSL_get_cipher_name(conns[0].ssl));
    } else if (opt_tls) {
        printf("tls=%s ", opt_tls == 13 ? "TLSv1.3" : "TLSv1.2");
    }
    if (neg_deflate == 1) {
        printf("deflate=%s%s sent_ratio=%.2f recv_ratio=%.2f ",
               neg_client_no_context || opt_client_no_context ? "client_no_context" : "client_takeover",
               neg_server_no_context ? ",server_no_context" : ",server_takeover",
               sent_wire_bytes ? (double)sent_plain_bytes / (double)sent_wire_bytes : 0,
               recv_wire_bytes ? (double)recv_plain_bytes / (double)recv_wire_bytes : 0);
    }
    if (opt_mode == MODE_RATE) {
        printf("rate=%g ", opt_rate);
    }
    printf("mode=%s conns=%d inflight=%d size=%zu seconds=%.2f msgs=%llu msgs_per_s=%.0f mb_per_s=%.1f "
           "p50_us=%.1f p99_us=%.1f p999_us=%.1f errors=%llu\n",
           mode, opt_conns, opt_inflight, opt_size, secs, (unsigned long long)msgs, (double)msgs / secs,
           (double)payload_bytes / secs / 1e6, hist_percentile_us(0.50), hist_percentile_us(0.99),
           hist_percentile_us(0.999), (unsigned long long)errors);
    return (measuring && msgs > 0 && errors == 0) ? 0 : 1;
}
