'use strict';
// The interop scenario's shared parts (see io.duplex.interop.Scenario and Payloads): payloads and commands.

const SIZES = [0, 1, 125, 126, 65535, 65536, 16 << 20];
const UNIT = 'aé€😀'; // one character of each UTF-8 length: 1 + 2 + 3 + 4 = 10 bytes

/** Text whose UTF-8 encoding is exactly n bytes long. */
function text(n) {
  return UNIT.repeat(Math.floor(n / 10)) + 'x'.repeat(n % 10);
}

/** n bytes, byte i being i % 251. */
function binary(n) {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = i % 251;
  return b;
}

/** Prints a transcript line; a BAD or FAIL line makes the process exit with 1. */
function report(line) {
  if (line.includes(' BAD') || line.startsWith('FAIL')) process.exitCode = 1;
  process.stdout.write(line + '\n');
}

module.exports = {
  SIZES, text, binary, report,
  CLIENT_PING: 'ping-é' + '.'.repeat(118), // 125 bytes, the most a control frame carries
  SERVER_PING: 'srv-ping-€' + '.'.repeat(113), // 125 bytes
  CLIENT_CLOSE: [4000, 'client bye é😀'],
  SERVER_CLOSE: [4001, 'server bye'],
  PING_COMMAND: 'cmd:ping ',
  CLOSE_COMMAND: 'cmd:close ',
  TERMINATE_COMMAND: 'cmd:terminate', // drop the TCP connection without a Close
  PONG_RECEIVED: 'pong-received ',
  MAX_PAYLOAD: 32 << 20,
  FRAGMENTED_SIZE: 65536,
  PART_SIZE: 4093, // a prime: parts split the 10-byte text unit, here inside UTF-8 sequences
};
