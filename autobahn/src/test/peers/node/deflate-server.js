'use strict';
// Node ws as a permessage-deflate server: node deflate-server.js MODE; prints LISTENING <port>.
// Per connection prints EXTENSIONS <its response's Sec-WebSocket-Extensions>, RECV TEXT|BINARY n OK|BAD for
// each message (echoed), and CLOSE code reason.
const { WebSocketServer } = require('ws');
const s = require('./scenario');
const { MODES } = require('./deflate-modes');

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: s.MAX_PAYLOAD,
  perMessageDeflate: MODES[process.argv[2]] });
let agreed = '';
wss.on('headers', (headers) => {
  const line = headers.find((h) => h.toLowerCase().startsWith('sec-websocket-extensions:'));
  agreed = line ? line.slice(line.indexOf(':') + 1).trim() : '';
});
wss.on('listening', () => s.report('LISTENING ' + wss.address().port));
wss.on('connection', (ws) => {
  s.report('EXTENSIONS ' + agreed);
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      s.report(`RECV BINARY ${data.length} ` + (data.equals(s.binary(data.length)) ? 'OK' : 'BAD'));
    } else {
      s.report(`RECV TEXT ${data.length} ` + (data.toString('utf8') === s.text(data.length) ? 'OK' : 'BAD'));
    }
    ws.send(data, { binary: isBinary });
  });
  ws.on('close', (code, reason) => s.report(`CLOSE ${code} ${reason.toString('utf8')}`));
  ws.on('error', (error) => s.report('ERROR ' + error));
});
