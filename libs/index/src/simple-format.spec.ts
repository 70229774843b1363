import { negotiateSimple, SIMPLE_HTML, SIMPLE_V1_HTML, SIMPLE_V1_JSON } from './simple-format';

describe('negotiateSimple (PEP 691, as PyPI negotiates)', () => {
  it.each([
    [undefined, SIMPLE_HTML],
    ['', SIMPLE_HTML],
    ['*/*', SIMPLE_HTML],
    ['text/html', SIMPLE_HTML],
    ['application/json', SIMPLE_HTML],
    // pip 22.2 and later
    ['application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01', SIMPLE_V1_JSON],
    ['application/vnd.pypi.simple.v1+html', SIMPLE_V1_HTML],
    ['application/vnd.pypi.simple.latest+json', SIMPLE_V1_JSON],
    ['application/vnd.pypi.simple.latest+html;q=0.9, text/html;q=0.1', SIMPLE_V1_HTML],
    ['application/*', SIMPLE_V1_HTML],
    ['text/html;q=0, application/vnd.pypi.simple.v1+json;q=0.5', SIMPLE_V1_JSON],
  ])('Accept %p gives %s', (accept, type) => {
    expect(negotiateSimple(accept)).toBe(type);
  });

  it('lets ?format= override the header', () => {
    expect(negotiateSimple('text/html', 'json')).toBe(SIMPLE_V1_JSON);
    expect(negotiateSimple('application/vnd.pypi.simple.v1+json', 'html')).toBe(SIMPLE_V1_HTML);
    expect(negotiateSimple('application/vnd.pypi.simple.v1+json', 'text/html')).toBe(SIMPLE_HTML);
  });
});
