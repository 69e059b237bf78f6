import { rotate } from './broker-connection.js';

describe('rotate (where a connection starts in the list of broker nodes)', () => {
  const nodes = ['amqp://n1', 'amqp://n2', 'amqp://n3'];

  it('keeps every node once, in the list order, from the given start', () => {
    expect(rotate(nodes, 0)).toEqual(nodes);
    expect(rotate(nodes, 1)).toEqual(['amqp://n2', 'amqp://n3', 'amqp://n1']);
    expect(rotate(nodes, 2)).toEqual(['amqp://n3', 'amqp://n1', 'amqp://n2']);
    expect(rotate(nodes, 4)).toEqual(rotate(nodes, 1));
    expect(rotate(nodes, -1)).toEqual(rotate(nodes, 2));
  });

  it('leaves a single node and an empty list alone', () => {
    expect(rotate(['amqp://only'], 7)).toEqual(['amqp://only']);
    expect(rotate([], 3)).toEqual([]);
  });
});
