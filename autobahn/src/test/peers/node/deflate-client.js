'use strict';
// Node ws as a permessage-deflate client: node deflate-client.js ws://host:port/path MODE
// MODE is defaults, windows10 or nocontext (see deflate-modes.js). Prints EXTENSIONS <the response's
// Sec-WebSocket-Extensions>, TEXT n OK and BINARY n OK for each echoed message of DEFLATE_SIZES, CLOSE code, DONE.
const WebSocket = require('ws');
const s = require('./scenario');
const { MODES, DEFLATE_SIZES } = require('./deflate-modes');
const EventQueue = require('./event-queue');

(async () => {
  const events = new EventQueue(10000);
  const ws = new WebSocket(process.argv[2], { perMessageDeflate: MODES[process.argv[3]], maxPayload: s.MAX_PAYLOAD });
  ws.on('upgrade', (res) => events.push({ type: 'upgrade', header: res.headers['sec-websocket-extensions'] || '' }));
  ws.on('open', () => events.push({ type: 'open' }));
  ws.on('message', (data, isBinary) => events.push({ type: isBinary ? 'binary' : 'text', data }));
  ws.on('close', (code) => events.push({ type: 'close', code }));
  ws.on('error', (error) => events.push({ type: 'error', error: String(error) }));
  s.report('EXTENSIONS ' + (await events.nextOf('upgrade')).header);
  await events.nextOf('open');
  for (const n of DEFLATE_SIZES) {
    const sent = s.text(n);
    ws.send(sent);
    const echo = await events.nextOf('text');
    s.report(`TEXT ${n} ` + (echo.data.toString('utf8') === sent ? 'OK' : `BAD got ${echo.data.length} bytes`));
  }
  for (const n of DEFLATE_SIZES) {
    const sent = s.binary(n);
    ws.send(sent, { binary: true });
    const echo = await events.nextOf('binary');
    s.report(`BINARY ${n} ` + (sent.equals(echo.data) ? 'OK' : `BAD got ${echo.data.length} bytes`));
  }
  ws.close(1000, 'done');
  s.report(`CLOSE ${(await events.nextOf('close')).code}`);
  s.report('DONE');
})().catch((error) => s.report('FAIL ' + error.message));
