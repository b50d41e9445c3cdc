'use strict';
// Node ws as the client of the interop scenario: node client.js ws://host:port/path
const WebSocket = require('ws');
const s = require('./scenario');
const EventQueue = require('./event-queue');

const TIMEOUT_MS = 10000;

/** Opens a connection whose events are awaited one at a time, in order. */
function open(url) {
  const ws = new WebSocket(url, { maxPayload: s.MAX_PAYLOAD });
  const events = new EventQueue(TIMEOUT_MS);
  const push = (event) => events.push(event);
  ws.on('open', () => push({ type: 'open' }));
  ws.on('message', (data, isBinary) => push(isBinary ? { type: 'binary', data } : { type: 'text', data: data.toString('utf8') }));
  ws.on('pong', (data) => push({ type: 'pong', data: data.toString('utf8') }));
  ws.on('close', (code, reason) => push({ type: 'close', code, reason: reason.toString('utf8') }));
  ws.on('error', (error) => push({ type: 'error', error: String(error) }));
  const nextOf = (type) => events.nextOf(type);
  const next = () => events.next();
  return { ws, nextOf, next };
}

async function firstConnection(url) {
  const { ws, nextOf } = open(url);
  await nextOf('open');
  for (const n of s.SIZES) {
    const sent = s.text(n);
    ws.send(sent);
    const echo = await nextOf('text');
    s.report(`TEXT ${n} ` + (echo.data === sent ? 'OK' : `BAD got ${Buffer.byteLength(echo.data)} bytes`));
  }
  for (const n of s.SIZES) {
    const sent = s.binary(n);
    ws.send(sent, { binary: true });
    const echo = await nextOf('binary');
    s.report(`BINARY ${n} ` + (sent.equals(echo.data) ? 'OK' : `BAD got ${echo.data.length} bytes`));
  }
  await sendInParts(ws, nextOf);
  ws.ping(Buffer.from(s.CLIENT_PING));
  const pong = await nextOf('pong');
  s.report('PONG ' + pong.data);
  ws.send(s.PING_COMMAND + s.SERVER_PING);
  const ack = await nextOf('text');
  s.report('SERVER-PONG ' + (ack.data === s.PONG_RECEIVED + s.SERVER_PING ? s.SERVER_PING : 'BAD ' + ack.data));
  ws.close(...s.CLIENT_CLOSE);
  const closed = await nextOf('close');
  s.report(`CLOSE ${closed.code} ${closed.reason}`);
}

/** Sends a text and a binary message in parts of PART_SIZE bytes; the text's parts end inside characters. */
async function sendInParts(ws, nextOf) {
  const n = s.FRAGMENTED_SIZE;
  const sent = { text: Buffer.from(s.text(n), 'utf8'), binary: s.binary(n) };
  for (const type of ['text', 'binary']) {
    const bytes = sent[type];
    for (let start = 0; start < n; start += s.PART_SIZE) {
      ws.send(bytes.subarray(start, start + s.PART_SIZE), { binary: type === 'binary', fin: start + s.PART_SIZE >= n });
    }
    const echo = await nextOf(type);
    const same = type === 'text' ? echo.data === s.text(n) : bytes.equals(echo.data);
    s.report(`FRAGMENTED ${type.toUpperCase()} ${n} ` + (same ? 'OK' : 'BAD'));
  }
}

async function secondConnection(url) {
  const { ws, nextOf } = open(url);
  await nextOf('open');
  ws.send(`${s.CLOSE_COMMAND}${s.SERVER_CLOSE[0]} ${s.SERVER_CLOSE[1]}`);
  const closed = await nextOf('close');
  s.report(`SERVER-CLOSE ${closed.code} ${closed.reason}`);
}

/** Closes without a status code (an empty Close frame). */
async function codelessClose(url) {
  const { ws, nextOf } = open(url);
  await nextOf('open');
  ws.close();
  const closed = await nextOf('close');
  s.report(`NO-CODE-CLOSE ${closed.code} ${closed.reason}`);
}

/** Asks the server to drop the connection without a Close; the close event must say 1006. */
async function serverTerminates(url) {
  const { ws, nextOf, next } = open(url);
  await nextOf('open');
  ws.send(s.TERMINATE_COMMAND);
  let event = await next();
  while (event.type === 'error') event = await next(); // a reset may be reported as an error first
  if (event.type !== 'close') throw new Error('expected close, got ' + JSON.stringify(event).slice(0, 200));
  s.report(`SERVER-TERMINATE ${event.code}`);
}

/** Drops a connection without a Close. */
async function clientAborts(url) {
  const { ws, nextOf } = open(url);
  await nextOf('open');
  ws.terminate();
  await nextOf('close');
  s.report('ABORTED');
}

(async () => {
  await firstConnection(process.argv[2]);
  await secondConnection(process.argv[2]);
  await serverTerminates(process.argv[2]);
  await codelessClose(process.argv[2]);
  await clientAborts(process.argv[2]);
  s.report('DONE');
})().catch((error) => {
  s.report('FAIL ' + error.message);
});
