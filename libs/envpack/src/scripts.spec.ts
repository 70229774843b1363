import { createHash } from 'node:crypto';
import { formatCsvLine, parseCsvLine, recordHash, rewriteRecord } from './record';
import { fillVenvDirPlaceholder, relocatableShebang, rewriteActivateScript, rewriteConsoleScript, VENV_DIR_PLACEHOLDER } from './scripts';
import { canonicalJson, renderManifest } from './manifest';
import { pyvenvMajorMinor, rewritePyvenvCfg } from './unpack';

const PREFIX = '/build/venv';
const BODY = "# -*- coding: utf-8 -*-\nimport sys\nfrom pygments.cmdline import main\nsys.exit(main())\n";
// uv, crates/uv-install-wheel/src/wheel.rs, test of format_shebang(relocatable = true)
const UV_RELOCATABLE = "#!/bin/sh\n'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")\"/'python3' \"$0\" \"$@\"\n' '''";

describe('relocatable console scripts', () => {
  it('produces exactly the head uv writes for a relocatable script', () => {
    expect(relocatableShebang('python3')).toBe(`${UV_RELOCATABLE}\n`);
  });

  it.each([
    ['a plain shebang', `#!${PREFIX}/bin/python\n`, 'python'],
    ['a versioned interpreter', `#!${PREFIX}/bin/python3.11\n`, 'python3.11'],
    ['distlib polyglot, quoted', `#!/bin/sh\n'''exec' "${PREFIX}/bin/python3" "$0" "$@"\n' '''\n`, 'python3'],
    ['distlib polyglot, unquoted', `#!/bin/sh\n'''exec' ${PREFIX}/bin/python "$0" "$@"\n' '''\n`, 'python'],
  ])('rewrites %s', (_label, head, name) => {
    const out = rewriteConsoleScript(Buffer.from(head + BODY), PREFIX);
    expect(out?.toString()).toBe(relocatableShebang(name) + BODY);
  });

  it('keeps interpreter options', () => {
    const out = rewriteConsoleScript(Buffer.from(`#!${PREFIX}/bin/python -E\n${BODY}`), PREFIX);
    expect(out?.toString().split('\n')[1]).toBe(`'''exec' "$(dirname -- "$(realpath -- "$0")")"/'python' -E "$0" "$@"`);
  });

  it.each([
    ['another prefix', `#!/other/venv/bin/python\n`],
    ['a non-python program of the venv', `#!${PREFIX}/bin/bash\n`],
    ['a system interpreter', `#!/usr/bin/env python3\n`],
    ['no shebang', `import sys\n`],
    ['a prefix that only starts like it', `#!${PREFIX}2/bin/python\n`],
  ])('leaves %s alone', (_label, head) => {
    expect(rewriteConsoleScript(Buffer.from(head + BODY), PREFIX)).toBeUndefined();
  });

  it('leaves binaries alone', () => {
    expect(rewriteConsoleScript(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]), PREFIX)).toBeUndefined();
  });
});

describe('activation scripts', () => {
  const bash = `# This file must be used with "source bin/activate" *from bash*\n\ndeactivate () {\n    :\n}\nVIRTUAL_ENV="${PREFIX}"\nexport VIRTUAL_ENV\n`;

  it('makes bin/activate compute VIRTUAL_ENV from its own path', () => {
    const out = rewriteActivateScript('activate', bash, PREFIX);
    expect(out).not.toContain(PREFIX);
    expect(out).toContain('VIRTUAL_ENV="$_VENVFARM_VENV_DIR"');
    expect(out).toContain('SCRIPT_PATH="${BASH_SOURCE[0]}"');
    expect(out).toContain('_VENVFARM_VENV_DIR="$(dirname -- "$(dirname -- "$(realpath -- "$SCRIPT_PATH")")")"');
    expect(out.startsWith('# This file must be used')).toBe(true);
  });

  it('rewrites the Python 3.12+ form (export inside a case) too', () => {
    const py313 = `case "$(uname)" in\n    CYGWIN*)\n        export VIRTUAL_ENV=$(cygpath "${PREFIX}")\n        ;;\n    *)\n        export VIRTUAL_ENV="${PREFIX}"\n        ;;\nesac\n`;
    const out = rewriteActivateScript('activate', py313, PREFIX);
    expect(out).not.toContain(PREFIX);
    expect(out).toContain('export VIRTUAL_ENV=$(cygpath "$_VENVFARM_VENV_DIR")');
  });

  it('uses status -f in fish, like uv', () => {
    const out = rewriteActivateScript('activate.fish', `set -gx VIRTUAL_ENV "${PREFIX}"\n`, PREFIX);
    expect(out).toBe('set -gx VIRTUAL_ENV (dirname -- (dirname -- (realpath -- (status -f))))\n');
  });

  it('leaves csh a placeholder that the unpacker fills', () => {
    const out = rewriteActivateScript('activate.csh', `setenv VIRTUAL_ENV "${PREFIX}"\n`, PREFIX);
    expect(out).toContain(`setenv VIRTUAL_ENV '${VENV_DIR_PLACEHOLDER}'`);
    const filled = fillVenvDirPlaceholder('activate.csh', out, "/home/o'hara/my env!");
    expect(filled).toContain(`setenv VIRTUAL_ENV '/home/o'\\''hara/my env\\!'`);
    expect(filled).toContain("if ( '/home/o'\\''hara/my env\\!' == '@VENVFARM_''VENV_DIR@' ) then");
  });

  it('rewrites the bare paths older CPythons write (Debian 3.11.2)', () => {
    expect(rewriteActivateScript('activate', `VIRTUAL_ENV=${PREFIX}\nexport VIRTUAL_ENV\n`, PREFIX)).toContain('VIRTUAL_ENV="$_VENVFARM_VENV_DIR"\n');
    expect(rewriteActivateScript('activate.fish', `set -gx VIRTUAL_ENV ${PREFIX}\n`, PREFIX)).toBe('set -gx VIRTUAL_ENV (dirname -- (dirname -- (realpath -- (status -f))))\n');
    expect(rewriteActivateScript('activate.csh', `setenv VIRTUAL_ENV ${PREFIX}\n`, PREFIX)).toContain(`setenv VIRTUAL_ENV '${VENV_DIR_PLACEHOLDER}'`);
    // A longer path that starts with the prefix is not the prefix.
    expect(rewriteActivateScript('activate', `X=${PREFIX}-other\n`, PREFIX)).toBe(`X=${PREFIX}-other\n`);
  });

  it('returns the text unchanged when it does not name the prefix', () => {
    expect(rewriteActivateScript('activate', 'VIRTUAL_ENV="/elsewhere"\n', PREFIX)).toBe('VIRTUAL_ENV="/elsewhere"\n');
  });
});

describe('RECORD', () => {
  const site = 'lib/python3.11/site-packages';
  const record = [
    '../../../bin/pygmentize,sha256=old,228',
    'pygments/__init__.py,sha256=abc,2983',
    'pygments/__pycache__/__init__.cpython-311.pyc,,',
    'pygments-2.21.0.dist-info/direct_url.json,sha256=x,10',
    '"odd,name.py",sha256=y,1',
    `${PREFIX}/bin/extra,sha256=z,3`,
    'pygments-2.21.0.dist-info/RECORD,,',
    '',
  ].join('\r\n');

  it('drops removed files, rehashes rewritten ones, relativizes build paths, keeps CRLF', () => {
    const data = Buffer.from('new script');
    const out = rewriteRecord(record, {
      siteDir: site,
      buildPrefix: PREFIX,
      isRemoved: (rel) => rel.includes('__pycache__') || rel.endsWith('direct_url.json'),
      rewritten: new Map([['bin/pygmentize', { sha256: createHash('sha256').update(data).digest(), size: data.length }]]),
    });
    expect(out.split('\r\n')).toEqual([
      `../../../bin/pygmentize,${recordHash(data)},10`,
      'pygments/__init__.py,sha256=abc,2983',
      '"odd,name.py",sha256=y,1',
      '../../../bin/extra,sha256=z,3',
      'pygments-2.21.0.dist-info/RECORD,,',
      '',
    ]);
  });

  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,', ['a', '', '']],
    ['"x,""y""",h,1', ['x,"y"', 'h', '1']],
  ])('parses and formats CSV like Python (%s)', (line, fields) => {
    expect(parseCsvLine(line)).toEqual(fields);
    expect(formatCsvLine(fields)).toBe(line);
  });
});

describe('manifest and pyvenv.cfg', () => {
  it('writes canonical JSON: sorted keys at every level, pins by name, trailing newline', () => {
    const text = renderManifest({
      python: '3.11.7',
      key: 'k',
      target: { os: 'linux', arch: 'x86_64' },
      builderDigest: 'sha256:d',
      pins: [
        { version: '2.0', name: 'b', sha256: '2' },
        { name: 'a', sha256: '1', version: '1.0' },
      ],
    });
    expect(text).toBe(
      canonicalJson({
        builderDigest: 'sha256:d',
        key: 'k',
        pins: [
          { name: 'a', sha256: '1', version: '1.0' },
          { name: 'b', sha256: '2', version: '2.0' },
        ],
        python: '3.11.7',
        target: { arch: 'x86_64', os: 'linux' },
      }),
    );
    expect(text.indexOf('"builderDigest"')).toBeLessThan(text.indexOf('"key"'));
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('points pyvenv.cfg at the local interpreter', () => {
    const cfg = 'home = /usr/local/bin\ninclude-system-site-packages = false\nversion = 3.11.2\nexecutable = /usr/local/bin/python3.11\ncommand = /usr/local/bin/python3.11 -m venv /build/venv\n';
    expect(pyvenvMajorMinor(cfg)).toBe('3.11');
    const out = rewritePyvenvCfg(cfg, { path: '/opt/py/bin/python3.11', version: '3.11.9', majorMinor: '3.11' }, '/srv/my env');
    expect(out).toBe(
      'home = /opt/py/bin\ninclude-system-site-packages = false\nversion = 3.11.9\nexecutable = /opt/py/bin/python3.11\ncommand = /opt/py/bin/python3.11 -m venv /srv/my env\n',
    );
  });
});
