import { parseRequirement } from '@venvfarm/pep508';
import { z } from 'zod';
import { fieldName, reportInputError, validationErrorBody } from './request-errors';

describe('validationErrorBody', () => {
  const schema = z.strictObject({
    requirements: z.array(
      z.string().transform((text, ctx) => {
        try {
          return parseRequirement(text);
        } catch (error) {
          reportInputError(ctx, [], error as never, 3);
          return z.NEVER;
        }
      }),
    ),
    depth: z.int().max(5).optional(),
  });
  const first = (input: unknown) => validationErrorBody(schema.safeParse(input).error!);

  it('names the field by its path, as clients write it', () => {
    expect(fieldName(['requirements', 2])).toBe('requirements[2]');
    expect(fieldName(['a', 'b', 0, 'c'])).toBe('a.b[0].c');
    expect(fieldName([])).toBe('');
  });

  it('keeps the position (and line) of a packaging library error, with the drawing in the detail', () => {
    expect(first({ requirements: ['django', 'django>=4,<<5'] })).toEqual({
      error: 'invalid_input',
      detail: expect.stringMatching(/^requirements\[1\]: .*\n {4}django>=4,<<5\n/s),
      field: 'requirements[1]',
      line: 3,
      position: 10,
    });
  });

  it('names an unknown field itself, and a wrong type or range by the field', () => {
    expect(first({ requirements: [], colour: 'blue' })).toEqual({ error: 'invalid_input', detail: 'colour: not a field of this request', field: 'colour' });
    expect(first({ requirements: [], depth: 6 })).toMatchObject({ field: 'depth', detail: expect.stringMatching(/^depth: /) });
    expect(first([])).toEqual({ error: 'invalid_input', detail: expect.stringContaining('expected object') });
  });
});
