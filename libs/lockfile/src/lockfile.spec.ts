import { parse } from 'smol-toml';
import { Lock, renderPylock, renderRequirementsTxt } from './index';

const lock: Lock = {
  python: '3.11',
  platform: 'x86_64-manylinux_2_28',
  environment: 'python_version == "3.11" and sys_platform == "linux" and platform_machine == "x86_64"',
  indexUrl: 'http://127.0.0.1:1/simple/',
  packages: [
    {
      name: 'celery',
      version: '5.3.4',
      extras: ['redis'],
      files: [
        { filename: 'celery-5.3.4-py3-none-any.whl', kind: 'wheel', url: 'http://127.0.0.1:1/f/celery-5.3.4-py3-none-any.whl', sha256: 'bb' },
        { filename: 'celery-5.3.4.tar.gz', kind: 'sdist', url: 'http://127.0.0.1:1/f/celery-5.3.4.tar.gz', sha256: 'aa' },
      ],
      requiredBy: ['-r requirements'],
    },
    { name: 'kombu', version: '5.3.2', extras: [], files: [{ filename: 'kombu-5.3.2.tar.gz', kind: 'sdist', url: null, sha256: null }], requiredBy: ['celery', 'other'] },
  ],
};

describe('lock formats', () => {
  it('renders requirements.txt with sorted hashes and via comments', () => {
    expect(renderRequirementsTxt(lock)).toBe(
      [
        '# Resolved by venvfarm for Python 3.11 on x86_64-manylinux_2_28.',
        'celery[redis]==5.3.4 \\',
        '    --hash=sha256:aa \\',
        '    --hash=sha256:bb',
        '    # via -r requirements',
        'kombu==5.3.2',
        '    # via',
        '    #   celery',
        '    #   other',
        '',
      ].join('\n'),
    );
  });

  it('renders a PEP 751 pylock.toml that parses back', () => {
    const doc = parse(renderPylock(lock)) as Record<string, unknown>;
    expect(doc).toMatchObject({ 'lock-version': '1.0', 'created-by': 'venvfarm', 'requires-python': '==3.11.*', environments: [lock.environment] });
    const [celery, kombu] = doc.packages as Record<string, unknown>[];
    expect(celery).toEqual({
      name: 'celery',
      version: '5.3.4',
      index: 'http://127.0.0.1:1/simple/',
      sdist: { name: 'celery-5.3.4.tar.gz', url: 'http://127.0.0.1:1/f/celery-5.3.4.tar.gz', hashes: { sha256: 'aa' } },
      wheels: [{ name: 'celery-5.3.4-py3-none-any.whl', url: 'http://127.0.0.1:1/f/celery-5.3.4-py3-none-any.whl', hashes: { sha256: 'bb' } }],
    });
    expect(kombu).toEqual({ name: 'kombu', version: '5.3.2', index: 'http://127.0.0.1:1/simple/' });
  });
});
