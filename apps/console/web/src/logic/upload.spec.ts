import { outcomeOf } from './upload.js';

describe('import outcomes', () => {
  it('reads the import runner, registry and supervision shapes alike', () => {
    expect(
      outcomeOf({
        id: 'i',
        status: 'completed',
        rowsRead: 5,
        rowsLoaded: 3,
        rowsRejected: 2,
        rejected: [{ line: 2, field: 'x', reason: 'y' }],
      }),
    ).toMatchObject({ id: 'i', rows: 5, loaded: 3, rejectedCount: 2 });
    expect(
      outcomeOf({
        received: 4,
        created: 1,
        updated: 1,
        unchanged: 1,
        rejected: [{ line: 3, field: 'f', reason: 'r' }],
      }),
    ).toEqual({
      id: null,
      status: 'completed',
      rows: 4,
      loaded: 3,
      rejectedCount: 1,
      rejected: [{ line: 3, field: 'f', reason: 'r' }],
      crosscheck: undefined,
    });
    expect(outcomeOf({ received: 2, upserted: 2, rejected: [] })).toMatchObject({
      rows: 2,
      loaded: 2,
      rejectedCount: 0,
    });
  });
});
