/** Examples shown in the OpenAPI description (`/docs`). */
export const RESOLVE_EXAMPLES = {
  requirements: {
    summary: 'A list of requirements for Python 3.11 on manylinux',
    value: { requirements: ['django>=4,<5', 'requests>=2.7'], python: '3.11', platform: 'x86_64-manylinux_2_28' },
  },
  requirementsTxt: {
    summary: 'A requirements.txt, answered as a requirements.txt with hashes',
    value: { requirements_txt: 'flask>=2\nsqlalchemy<2\n', python: '3.11', platform: 'x86_64-manylinux_2_28', format: 'requirements.txt' },
  },
  everything: {
    summary: 'Every option',
    value: {
      requirements: ['celery[redis]'],
      constraints: ['redis<5'],
      python: '3.11',
      platform: 'x86_64-manylinux_2_28',
      prereleases: 'if-necessary',
      exclude_newer: '2023-06-01T00:00:00Z',
      only_binary: [':all:'],
      no_binary: [],
      format: 'json',
    },
  },
};

export const RESOLVE_RESPONSE_EXAMPLE = {
  key: '3f1c…',
  python: '3.11',
  platform: 'x86_64-manylinux_2_28',
  pins: [
    {
      name: 'django',
      version: '4.2.5',
      extras: [],
      files: [{ filename: 'Django-4.2.5-py3-none-any.whl', url: 'http://127.0.0.1:8081/files/Django-4.2.5-py3-none-any.whl', sha256: '…' }],
      dependencies: ['asgiref', 'sqlparse'],
      required_by: ['-r requirements'],
    },
  ],
  requirements_txt: 'django==4.2.5 \\\n    --hash=sha256:…\n',
  warnings: [],
  cached: false,
  timings: { prefetch_ms: 12.5, solve_ms: 8.1, total_ms: 22.3 },
};
