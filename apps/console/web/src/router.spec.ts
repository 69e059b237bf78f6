import { match } from './router-match.js';

describe('match', () => {
  it('matches the root, fixed paths and parameters', () => {
    expect(match('/', '/')).toEqual({});
    expect(match('/dropout', '/dropout/')).toEqual({});
    expect(match('/dropout/cases/:id', '/dropout/cases/a%2Fb')).toEqual({ id: 'a/b' });
    expect(match('/dropout', '/')).toBeNull();
    expect(match('/', '/dropout')).toBeNull();
  });
});
