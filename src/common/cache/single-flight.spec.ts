import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('shares one load between concurrent callers of a key, and loads again afterwards', async () => {
    const flight = new SingleFlight<string, number>();
    let loads = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5));
    expect(await Promise.all([flight.run('a', load), flight.run('a', load)])).toEqual([1, 1]);
    expect(await flight.run('a', load)).toBe(2);
  });

  it('starts a fresh load for callers after forget()', async () => {
    const flight = new SingleFlight<string, number>();
    let loads = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5));
    const first = flight.run('a', load);
    flight.forget('a');
    const second = flight.run('a', load);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
  });

  it('lets a failed load fail every waiter, then tries again', async () => {
    const flight = new SingleFlight<string, number>();
    const failing = () => Promise.reject(new Error('down'));
    await expect(Promise.all([flight.run('a', failing), flight.run('a', failing)])).rejects.toThrow(
      'down',
    );
    expect(await flight.run('a', () => Promise.resolve(3))).toBe(3);
  });
});
