/**
 * Reports through the real thing: a program in a real session (a pty under a real server) asks
 * the terminal questions and reads the answers from its own input, as neovim or tmux do at
 * start-up. The program prints what it got, hex-encoded, and the test reads that off the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer(); });
afterAll(async () => { await srv?.close(); });

// Raw mode, each query written and its answer read up to its terminator, then printed as hex.
const PROGRAM = String.raw`
import os, select, sys, termios, tty
fd = sys.stdin.fileno()
old = termios.tcgetattr(fd)
tty.setraw(fd)
def ask(query, end):
    os.write(1, query)
    got = b''
    while not got.endswith(end):
        ready, _, _ = select.select([fd], [], [], 5)
        if not ready:
            break
        got += os.read(fd, 1024)
    return got
answers = [
    ask(b'\x1b[1;4m\x1bP$qm\x1b\\', b'\x1b\\'),
    ask(b'\x1b[0m\x1bP+q544e\x1b\\', b'\x1b\\'),
    ask(b'\x1b[18t', b't'),
    ask(b'\x1b]10;?\x07', b'\x07'),
    ask(b'\x1b[Hxy\x1b[5;1;1;1;1;3*y', b'\x1b\\'),
]
termios.tcsetattr(fd, termios.TCSADRAIN, old)
os.write(1, b'\x1b[2J\x1b[H')
for a in answers:
    print('R ' + a.hex())
print('DONE')
`;

describe('reports in a real session', () => {
  it('DECRQSS, XTGETTCAP, XTWINOPS, OSC 10 and DECRQCRA answers reach the program through its pty', async () => {
    const { id } = await srv.client.createSession({ command: 'python3', args: ['-c', PROGRAM], cols: 100, rows: 12 });
    expect((await srv.client.wait(id, { regex: '^DONE$', timeoutMs: 15_000 })).satisfied).toBe(true);
    const lines = (await srv.client.screenLines(id)).filter((l) => l.startsWith('R '));
    const answers = lines.map((l) => Buffer.from(l.slice(2), 'hex').toString('latin1'));
    expect(answers).toEqual([
      '\x1bP1$r0;1;4m\x1b\\',
      `\x1bP1+r544e=${Buffer.from('xterm-256color').toString('hex').toUpperCase()}\x1b\\`,
      '\x1b[8;12;100t',
      '\x1b]10;rgb:e5e5/e5e5/e5e5\x07',
      // Row 1, columns 1–3 hold "xy" and a never-written cell: -(0x78 + 0x79) in 16 bits.
      '\x1bP5!~FF0F\x1b\\',
    ]);
  });
});
