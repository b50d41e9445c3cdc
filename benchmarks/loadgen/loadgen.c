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
 *              answered with an empty Pong.
 *   broadcast  N connections that only receive; connection 0 sends the text "broadcast:<size>", the server
 *              sends one <size>-byte binary message to every connection; when all N arrived the next
 *              round starts. Reports deliveries/s and the fan-out time p50/p99.
 *   rooms      N connections in rooms of --room-size R (connection j asks for /room/<j / R>); the first member
 *              of each room publishes a --size binary message, the server sends it to every member (the
 *              publisher included); when all R members have it, the room's next one is published (--inflight
 *              K per room). Reports deliveries/s and the publish-to-delivery latency p50/p99.
 *
 * With --port2 Q, half the connections go to port Q instead: connection j of room k (k = j / R, or 0
 * without rooms) to Q when j + k is odd, so every room of an even size spans two servers (nodes of a cluster)
 * and the rooms' publishers alternate between them (scenario (g)).
 *
 * With --room-size R in the other modes too, connection j asks for /room/<j / R> instead of /: idle
 * connections that are room members (memory per membership), or a broadcast through one room (R = N).
 *
 * Client frames are masked (RFC 6455 section 5.3) with a fixed key: the payload never changes, so each
 * connection re-sends one pre-masked frame. The handshake uses the RFC's sample key and checks the 101
 * and its Sec-WebSocket-Accept. Echoed frames are checked for opcode, FIN, no mask and exact length.
 * Source addresses are spread over 127.0.0.10..209 (IP_BIND_ADDRESS_NO_PORT) to go past one address's
 * ephemeral ports.
 *
 * With --server-pid P it also reads the server's CPU time (/proc/P/stat, all its threads: user and
 * kernel) over the measured window, and reports it per message: a figure that, unlike messages/s, does not
 * move with how busy the rest of the machine is. Its own CPU use (getrusage) shows whether it was the
 * bottleneck.
 *
 * Output: one line of key=value pairs on stdout. Exit status 0 only if messages flowed without error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
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

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

enum { MODE_ECHO, MODE_RAW, MODE_IDLE, MODE_BROADCAST, MODE_ROOMS };

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

/* What every connection sends (a pre-masked frame, repeated) and expects back. */
static unsigned char *send_buf;   /* 'copies' back-to-back frames */
static size_t frame_len;          /* bytes of one frame on the wire */
static size_t send_buf_len;
static int expect_opcode;
static uint64_t expect_len;

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

typedef struct conn {
    int fd;
    int want_out;           /* EPOLLOUT registered */
    uint64_t out_left;      /* bytes still to write */
    size_t out_pos;         /* position within one frame of the next byte to write */
    unsigned char hdr[14];
    int hdr_have;
    int in_payload;
    uint64_t pay_left;
    int opcode;
    int fin;
    int in_message;         /* between a fragmented message's first and last frame */
    uint64_t msg_have;      /* payload bytes of the current message so far */
    uint64_t raw_in;        /* raw mode: bytes of the current message received */
    int report;             /* broadcast mode: the current frame is the server's timing report */
    char cap[64];
    int cap_len;
    uint64_t *ts;           /* send times of the messages in flight, oldest first */
    int ts_head, ts_count;
    uint64_t room_recv;     /* rooms mode: messages of its room received so far */
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

static void on_signal(int sig) {
    (void)sig;
    stop_flag = 1;
}

/* A masked frame carrying 'len' bytes of 'fill' (or 'payload' if given). */
static size_t build_frame(unsigned char *dst, int opcode, const unsigned char *payload, uint64_t len,
                          unsigned char fill) {
    static const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
    size_t h = 0;
    dst[h++] = (unsigned char)(0x80 | opcode);
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
        ssize_t w = write(c->fd, send_buf + c->out_pos, chunk);
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
        c->out_pos = (c->out_pos + (size_t)w) % frame_len;
    }
    if (c->want_out) {
        set_events(c, 0);
    }
}

static void queue_message(conn_t *c, uint64_t now) {
    int slot = (c->ts_head + c->ts_count) % opt_inflight;
    c->ts[slot] = now;
    c->ts_count++;
    c->out_left += frame_len;
}

static void trigger_broadcast(uint64_t now) {
    round_start = now;
    round_got = 0;
    round_reported = 0;
    conns[0].out_left += frame_len;
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
    conns[r->publisher].out_left += frame_len;
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
    c->ts_head = (c->ts_head + 1) % opt_inflight;
    c->ts_count--;
    if (measuring) {
        hist_record(now - sent);
        msgs++;
        payload_bytes += opt_mode == MODE_RAW ? opt_size : expect_len;
    }
    if (!stop_flag) {
        queue_message(c, now);
    }
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
        c->in_message = 0;
        c->msg_have = 0;
        on_message(c, now);
    }
}

/* Parses server frames in p[0..n): unmasked, FIN set, the expected opcode and length. */
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
        c->report = opt_mode == MODE_BROADCAST && c->opcode == 0x1;
        if (c->report) {
            /* The server's own timing of a broadcast round, "broadcast-done:<microseconds>". */
            if (!(c->hdr[0] & 0x80) || len >= sizeof c->cap) {
                fail("unexpected text frame in broadcast mode");
            }
            c->cap_len = 0;
        } else if (c->opcode < 0x8) {
            /* A message may come in fragments (some servers cut large ones): opcode, then continuations. */
            int first = c->opcode != 0x0;
            if (first == c->in_message || (first && c->opcode != expect_opcode)
                || c->msg_have + len > expect_len) {
                fprintf(stderr, "loadgen: unexpected frame: b0=0x%02x length=%llu (want opcode %d length %llu)\n",
                        c->hdr[0], (unsigned long long)len, expect_opcode, (unsigned long long)expect_len);
                exit(2);
            }
            c->in_message = 1;
            c->msg_have += len;
            c->fin = (c->hdr[0] & 0x80) != 0;
            if (c->fin && c->msg_have != expect_len) {
                fail("an echoed message has the wrong length");
            }
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

static int open_socket(int index) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        die("socket");
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    struct sockaddr_in src = {.sin_family = AF_INET};
    src.sin_addr.s_addr = htonl((127u << 24) | (uint32_t)(10 + index % 200));
    if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) {
        die("bind");
    }
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port_of(index))};
    if (inet_pton(AF_INET, opt_host, &dst.sin_addr) != 1) {
        fail("bad --host");
    }
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0) {
        die("connect");
    }
    return fd;
}

static void read_handshake_response(int fd) {
    char buf[4096];
    size_t have = 0;
    for (;;) {
        /* Byte-exact reads stop at the blank line: nothing of the frame stream is consumed here. */
        ssize_t r = read(fd, buf + have, 1);
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
    if (strncmp(buf, "HTTP/1.1 101", 12) != 0) {
        fprintf(stderr, "loadgen: expected 101, got: %.80s\n", buf);
        exit(2);
    }
    /* RFC 6455 section 1.3: the accept value for the sample key. */
    if (!strstr(buf, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")) {
        fail("wrong or missing Sec-WebSocket-Accept");
    }
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
            int req_len = snprintf(req, sizeof req,
                                   "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                                   path, opt_host, port_of(j));
            conns[j].fd = open_socket(j);
            if (opt_mode != MODE_RAW && write(conns[j].fd, req, (size_t)req_len) != req_len) {
                die("writing the handshake");
            }
        }
        if (opt_mode != MODE_RAW) {
            for (int j = i; j < end; j++) {
                read_handshake_response(conns[j].fd);
            }
        }
    }
    for (int j = 0; j < opt_conns; j++) {
        fcntl(conns[j].fd, F_SETFL, fcntl(conns[j].fd, F_GETFL) | O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[j]};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[j].fd, &ev) < 0) {
            die("epoll_ctl add");
        }
    }
}

static void prepare_frames(void) {
    if (opt_mode == MODE_BROADCAST) {
        char trig[64];
        int n = snprintf(trig, sizeof trig, "broadcast:%zu", opt_size);
        send_buf = malloc(64);
        frame_len = build_frame(send_buf, 0x1, (const unsigned char *)trig, (uint64_t)n, 0);
        send_buf_len = frame_len;
        expect_opcode = 0x2;
        expect_len = opt_size;
        return;
    }
    if (opt_mode == MODE_RAW) {
        frame_len = opt_size;
    } else {
        frame_len = opt_size + 14;
    }
    /* Several frames back to back so one write() carries a whole burst of small messages. */
    size_t copies = (size_t)opt_inflight;
    if (copies * frame_len > (4u << 20)) {
        copies = 1;
    }
    send_buf = malloc(copies * frame_len);
    if (!send_buf) {
        fail("out of memory");
    }
    if (opt_mode == MODE_RAW) {
        memset(send_buf, 'x', copies * frame_len);
    } else {
        frame_len = build_frame(send_buf, opt_text ? 0x1 : 0x2, NULL, opt_size, 'x');
        for (size_t i = 1; i < copies; i++) {
            memcpy(send_buf + i * frame_len, send_buf, frame_len);
        }
    }
    send_buf_len = copies * frame_len;
    expect_opcode = opt_text ? 0x1 : 0x2;
    expect_len = opt_size;
}

static void usage(void) {
    fprintf(stderr,
            "usage: loadgen [--host 127.0.0.1] --port P [--mode echo|raw|idle|broadcast] [--conns N]\n"
            "               [--inflight K] [--size BYTES] [--duration S] [--warmup S] [--text]\n"
            "               [--server-pid P] [--room-size R] [--port2 Q]   (modes also: rooms)\n");
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
        else if (!strcmp(a, "--mode")) {
            if (!strcmp(v, "echo")) opt_mode = MODE_ECHO;
            else if (!strcmp(v, "raw")) opt_mode = MODE_RAW;
            else if (!strcmp(v, "idle")) opt_mode = MODE_IDLE;
            else if (!strcmp(v, "broadcast")) opt_mode = MODE_BROADCAST;
            else if (!strcmp(v, "rooms")) opt_mode = MODE_ROOMS;
            else usage();
        } else usage();
    }
    if (opt_conns < 1 || opt_inflight < 1 || opt_size < 1 || opt_duration <= 0 || opt_room_size < 0
        || (opt_mode == MODE_ROOMS && (opt_room_size < 1 || opt_conns % opt_room_size != 0))) {
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

    ep = epoll_create1(0);
    if (ep < 0) {
        die("epoll_create1");
    }
    conns = calloc((size_t)opt_conns, sizeof *conns);
    for (int j = 0; j < opt_conns; j++) {
        conns[j].ts = calloc((size_t)opt_inflight, sizeof(uint64_t));
    }
    prepare_frames();
    if (opt_mode == MODE_ROOMS) {
        room_count = opt_conns / opt_room_size;
        rooms = calloc((size_t)room_count, sizeof *rooms);
        for (int k = 0; k < room_count; k++) {
            rooms[k].publisher = k * opt_room_size;
            rooms[k].ts = calloc((size_t)opt_inflight, sizeof(uint64_t));
            rooms[k].left = calloc((size_t)opt_inflight, sizeof(int));
        }
    }
    uint64_t t_setup = now_ns();
    open_all();
    double setup_s = (double)(now_ns() - t_setup) / 1e9;

    static unsigned char rbuf[1 << 20];
    struct epoll_event evs[512];
    uint64_t start = now_ns();
    uint64_t warm_end = start + (uint64_t)(opt_warmup * 1e9);
    uint64_t end = warm_end + (uint64_t)(opt_duration * 1e9);
    uint64_t dropped = 0;

    if (opt_mode == MODE_IDLE) {
        printf("ready %d\n", opt_conns);
        fflush(stdout);
        end = start + (uint64_t)(opt_duration * 1e9);
    } else if (opt_mode == MODE_BROADCAST) {
        trigger_broadcast(start);
    } else if (opt_mode == MODE_ROOMS) {
        for (int k = 0; k < room_count; k++) {
            for (int i = 0; i < opt_inflight; i++) {
                room_publish(&rooms[k], start);
            }
        }
    } else {
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
    for (;;) {
        uint64_t now = now_ns();
        if (now >= end || stop_flag) {
            break;
        }
        if (!measuring && now >= warm_end && opt_mode != MODE_IDLE) {
            measuring = 1;
            msgs = payload_bytes = 0;
            memset(hist, 0, sizeof hist);
            hist_count = 0;
            t0 = now;
            self0 = self_cpu_s();
            cpu_ok = opt_server_pid > 0 && read_cpu_ticks(opt_server_pid, &su0, &ss0);
        }
        int n = epoll_wait(ep, evs, 512, 50);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("epoll_wait");
        }
        now = now_ns();
        for (int i = 0; i < n; i++) {
            conn_t *c = evs[i].data.ptr;
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                ssize_t r = read(c->fd, rbuf, sizeof rbuf);
                if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                    if (opt_mode == MODE_IDLE) {
                        dropped++;
                        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                        close(c->fd);
                        continue;
                    }
                    fail("the server closed a connection");
                }
                if (r > 0) {
                    if (opt_mode == MODE_IDLE) {
                        /* A keepalive Ping, in practice (a Duplex server pings a connection it has not heard
                         * from for 30 s and closes it 20 s later if nothing arrives). Answer as a live client
                         * would, with an unsolicited empty Pong (RFC 6455 section 5.5.3), so that the
                         * connections stay held however long the measurement takes. */
                        static const unsigned char pong[6] = {0x8A, 0x80, 0x37, 0xfa, 0x21, 0x3d};
                        if (write(c->fd, pong, sizeof pong) < 0 && errno != EAGAIN && errno != EINTR) {
                            die("write (pong)");
                        }
                        continue;
                    }
                    consume(c, rbuf, (size_t)r, now);
                }
            }
            if (opt_mode != MODE_IDLE && (c->out_left > 0 || (evs[i].events & EPOLLOUT))) {
                flush_out(c);
            }
        }
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    unsigned long long su1 = 0, ss1 = 0;
    cpu_ok = cpu_ok && read_cpu_ticks(opt_server_pid, &su1, &ss1);
    double self_util = measuring ? (self_cpu_s() - self0) / secs : 0;

    const char *mode = opt_mode == MODE_ECHO ? "echo" : opt_mode == MODE_RAW ? "raw"
                     : opt_mode == MODE_IDLE ? "idle" : opt_mode == MODE_ROOMS ? "rooms" : "broadcast";
    if (opt_mode == MODE_IDLE) {
        printf("mode=idle conns=%d setup_s=%.2f held_s=%.2f dropped=%llu\n", opt_conns, setup_s, secs,
               (unsigned long long)dropped);
        return dropped == 0 ? 0 : 1;
    }
    if (opt_mode == MODE_BROADCAST && server_rounds > 0) {
        /* Deliveries per second of the server's own fan-out time (trigger read to last frame written). */
        printf("server_fanout_us=%.0f server_deliveries_per_s=%.0f ",
               (double)server_us_sum / (double)server_rounds,
               (double)opt_conns * (double)server_rounds / ((double)server_us_sum / 1e6));
    }
    if (cpu_ok && msgs > 0) {
        /* Per message on the wire each way: an echo counts once, a broadcast delivery once. */
        double tick_us = 1e6 / (double)sysconf(_SC_CLK_TCK);
        double user_us = (double)(su1 - su0) * tick_us, sys_us = (double)(ss1 - ss0) * tick_us;
        printf("server_user_us_per_msg=%.3f server_sys_us_per_msg=%.3f server_cpu_us_per_msg=%.3f "
               "server_cpu_util=%.2f ",
               user_us / (double)msgs, sys_us / (double)msgs, (user_us + sys_us) / (double)msgs,
               (user_us + sys_us) / 1e6 / secs);
    }
    printf("loadgen_cpu_util=%.2f ", self_util);
    if (opt_room_size > 0) {
        printf("room_size=%d ", opt_room_size);
    }
    printf("mode=%s conns=%d inflight=%d size=%zu seconds=%.2f msgs=%llu msgs_per_s=%.0f mb_per_s=%.1f "
           "p50_us=%.1f p99_us=%.1f errors=%llu\n",
           mode, opt_conns, opt_inflight, opt_size, secs, (unsigned long long)msgs, (double)msgs / secs,
           (double)payload_bytes / secs / 1e6, hist_percentile_us(0.50), hist_percentile_us(0.99),
           (unsigned long long)errors);
    return (measuring && msgs > 0 && errors == 0) ? 0 : 1;
}
