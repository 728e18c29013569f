/**
 * openssl s_client: sniffing against its neighbours, and the installed OpenSSL's real
 * output in a throwaway network namespace (loopback only): a completed handshake gives
 * no error, a closed port gives `refused`, a server that closes without a word gives
 * an EOF or reset — the SSL_ERROR_SYSCALL case. The live part is skipped (with the reason)
 * when not root, without `ip netns`, openssl or busybox.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankTextFormats } from '../../../parsers/sniff.js';
import { openssl } from '../../../parsers/text/openssl.js';
import { clientErrorKind } from '../../../rules/client-failures.js';
import type { ClientErrorRecord } from '../../../src/model/records/index.js';
import { checkRecord } from '../../../src/model/records/index.js';
import { netnsSkip } from '../../helpers/netns.js';
import { parseString } from '../../helpers/text.js';
import { tempDirs } from '../../helpers/tmp.js';
import { REPO_ROOT } from '../../samples/bundle-check.js';

const tmp = tempDirs('forensic-openssl-');

const skip = netnsSkip('openssl live tests', ['openssl', 'busybox']);

const top = (text: string) => rankTextFormats(text.split('\n'), 'x.txt')[0]?.format.id;

describe('openssl s_client', () => {
  it('is told apart from curl -v and claims its own output', () => {
    const curl = readFileSync(join(REPO_ROOT, 'samples/asymmetric-mangle/client-remote/curl-v.txt'), 'utf8');
    expect(top(curl)).toBe('curl');
    expect(openssl.sniff(curl.split('\n'), 'curl-v.txt')).toBe(0);
    expect(top('CONNECTED(00000003)\nwrite:errno=104\n---\nno peer certificate available\n')).toBe('openssl');
  });

  describe.skipIf(!!skip)('live, in a network namespace', () => {
    const ns = `fx-ossl-${process.pid % 100000}`;
    const dir = tmp();
    const servers: ChildProcess[] = [];
    const inNs = (cmd: string, ...args: string[]) => spawn('ip', ['netns', 'exec', ns, cmd, ...args]);
    /** s_client against 127.0.0.1:port, output as a user would save it (prompt, stdout and stderr). */
    const client = (port: number): string => {
      const cmd = `openssl s_client -connect 127.0.0.1:${port}`;
      const r = spawnSync('ip', ['netns', 'exec', ns, 'sh', '-c', `${cmd} </dev/null 2>&1`], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      return `$ ${cmd}\n${r.stdout}`;
    };
    const errors = async (text: string) => {
      const r = await parseString(openssl, text);
      for (const x of r.records) expect(checkRecord(x), JSON.stringify(x)).toBeNull();
      expect(r.issues).toEqual([]);
      return r.records as ClientErrorRecord[];
    };
    const listening = (port: number) => {
      for (let i = 0; i < 50; i++) {
        const r = spawnSync('ip', [
          'netns',
          'exec',
          ns,
          'sh',
          '-c',
          `busybox netstat -ltn | grep -q ':${port} '`,
        ]);
        if (r.status === 0) return;
        execFileSync('sleep', ['0.1']);
      }
      throw new Error(`nothing listens on ${port}`);
    };

    beforeAll(() => {
      execFileSync('ip', ['netns', 'add', ns]);
      execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
      execFileSync('openssl', [
        ...'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=test'.split(' '),
        '-keyout',
        key,
        '-out',
        cert,
      ]);
      servers.push(
        inNs(
          'openssl',
          's_server',
          '-accept',
          '127.0.0.1:4433',
          '-key',
          key,
          '-cert',
          cert,
          '-www',
          '-quiet',
        ),
      );
      // Accepts, then closes at once: the client's handshake meets EOF.
      servers.push(inNs('busybox', 'nc', '-ll', '-p', '4435', '-e', 'true'));
      listening(4433);
      listening(4435);
    });
    afterAll(() => {
      for (const s of servers) s.kill('SIGKILL');
      spawnSync('ip', ['netns', 'del', ns]);
    });

    it('a completed handshake is no error', async () => {
      const out = client(4433);
      expect(out).toMatch(/CONNECTED\(/);
      expect(await errors(out)).toEqual([]);
    });

    it('a closed port is a refused connect', async () => {
      const [e, ...more] = await errors(client(4434));
      expect(more).toEqual([]);
      expect(e).toMatchObject({ tool: 'openssl', target: '127.0.0.1:4434' });
      expect(clientErrorKind(e.text, e.code)).toBe('refused');
    });

    it('a server that closes during the handshake is an EOF', async () => {
      const [e, ...more] = await errors(client(4435));
      expect(more).toEqual([]);
      expect(e).toMatchObject({ tool: 'openssl', target: '127.0.0.1:4435' });
      // The server's close reaches the client as a FIN (EOF) or, with data unread, a RST.
      expect(['eof', 'reset']).toContain(e.cause);
      expect(clientErrorKind(e.text, e.code)).toBe('tls-reset');
    });
  });
});
