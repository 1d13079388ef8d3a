import { BoundedQueue, QueueFullError } from './bounded-queue';

/** A task that runs until the test lets it finish. */
function gate<T>(value: T): { task: () => Promise<T>; started: boolean; finish: () => void } {
  let release: () => void = () => undefined;
  const handle = {
    started: false,
    finish: () => release(),
    task: () => {
      handle.started = true;
      return new Promise<T>((resolve) => (release = () => resolve(value)));
    },
  };
  return handle;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('BoundedQueue', () => {
  it('runs up to its concurrency at once, then lets the waiting in, first come first served', async () => {
    const queue = new BoundedQueue(2, 2);
    const tasks = [gate(1), gate(2), gate(3), gate(4)];
    const results = tasks.map((t) => queue.run(t.task));
    await settle();
    expect(tasks.map((t) => t.started)).toEqual([true, true, false, false]);
    expect(queue.load).toEqual({ running: 2, waiting: 2 });

    tasks[1].finish();
    await settle();
    expect(tasks.map((t) => t.started)).toEqual([true, true, true, false]);
    expect(queue.load).toEqual({ running: 2, waiting: 1 });

    tasks[0].finish();
    tasks[2].finish();
    await settle();
    tasks[3].finish();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4]);
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses at once when every slot and every waiting place is taken', async () => {
    const queue = new BoundedQueue(1, 1);
    const running = gate('a');
    const waiting = gate('b');
    const first = queue.run(running.task);
    const second = queue.run(waiting.task);
    const refused = gate('c');
    await expect(queue.run(refused.task)).rejects.toBeInstanceOf(QueueFullError);
    expect(refused.started).toBe(false);

    running.finish();
    await settle();
    // A place is free again once the waiting task has started.
    const third = gate('d');
    const later = queue.run(third.task);
    waiting.finish();
    await settle();
    third.finish();
    expect(await Promise.all([first, second, later])).toEqual(['a', 'b', 'd']);
  });

  it('frees the slot of a task that fails', async () => {
    const queue = new BoundedQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(() => Promise.resolve('next'))).toBe('next');
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });

  it('waits for nobody with no waiting room', async () => {
    const queue = new BoundedQueue(1, 0);
    const running = gate(1);
    const first = queue.run(running.task);
    await expect(queue.run(() => Promise.resolve(2))).rejects.toBeInstanceOf(QueueFullError);
    running.finish();
    expect(await first).toBe(1);
  });

  it.each([
    [0, 0],
    [1.5, 0],
    [1, -1],
  ])('refuses concurrency %p with waiting room %p', (concurrency, maxWaiting) => {
    expect(() => new BoundedQueue(concurrency, maxWaiting)).toThrow(RangeError);
  });
});
