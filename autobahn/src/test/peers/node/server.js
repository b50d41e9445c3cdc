'use strict';
// Node ws as the server of the interop scenario: node server.js; prints LISTENING <port>.
const { WebSocketServer } = require('ws');
const s = require('./scenario');

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: s.MAX_PAYLOAD });

wss.on('listening', () => s.report('LISTENING ' + wss.address().port));

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      s.report(`RECV BINARY ${data.length} ` + (data.equals(s.binary(data.length)) ? 'OK' : 'BAD'));
      ws.send(data, { binary: true });
      return;
    }
    const message = data.toString('utf8');
    if (message.startsWith(s.PING_COMMAND)) {
      const payload = message.slice(s.PING_COMMAND.length);
      ws.once('pong', (pong) => {
        s.report('SERVER-PONG ' + pong.toString('utf8'));
        ws.send(s.PONG_RECEIVED + pong.toString('utf8'));
      });
      ws.ping(Buffer.from(payload));
    } else if (message === s.TERMINATE_COMMAND) {
      ws.terminate();
    } else if (message.startsWith(s.CLOSE_COMMAND)) {
      const rest = message.slice(s.CLOSE_COMMAND.length);
      const space = rest.indexOf(' ');
      ws.close(Number(rest.slice(0, space)), rest.slice(space + 1));
    } else {
      s.report(`RECV TEXT ${data.length} ` + (message === s.text(data.length) ? 'OK' : 'BAD'));
      ws.send(message);
    }
  });
  ws.on('close', (code, reason) => s.report(`CLOSE ${code} ${reason.toString('utf8')}`));
  ws.on('error', (error) => s.report('ERROR ' + error));
});
