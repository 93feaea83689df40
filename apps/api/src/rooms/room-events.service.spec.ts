import { Logger } from '@nestjs/common';
import { RoomEvent, RoomEvents } from './room-events.service';

describe('RoomEvents', () => {
  const destroyed = (code: string): RoomEvent => ({ type: 'destroyed', payload: { code } });

  it('delivers a room’s events to its subscribers only, until they unsubscribe', () => {
    const events = new RoomEvents();
    const a: RoomEvent[] = [];
    const b: RoomEvent[] = [];
    const stopA = events.subscribe('AAAAAAA', (e) => a.push(e));
    events.subscribe('BBBBBBB', (e) => b.push(e));
    events.publish('AAAAAAA', { type: 'room_updated', payload: { name: 'x' } });
    expect(a).toEqual([{ type: 'room_updated', payload: { name: 'x' } }]);
    expect(b).toEqual([]);
    stopA();
    events.publish('AAAAAAA', destroyed('AAAAAAA'));
    expect(a).toHaveLength(1);
    expect(events.subscriberCount('AAAAAAA')).toBe(0);
    expect(events.subscriberCount('BBBBBBB')).toBe(1);
  });

  it('keeps delivering when one handler throws, and lets a handler unsubscribe itself', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const events = new RoomEvents();
    const seen: string[] = [];
    events.subscribe('AAAAAAA', () => {
      throw new Error('broken socket');
    });
    const stop = events.subscribe('AAAAAAA', (e) => {
      seen.push(e.type);
      stop();
    });
    events.subscribe('AAAAAAA', (e) => seen.push(`last:${e.type}`));
    events.publish('AAAAAAA', destroyed('AAAAAAA'));
    events.publish('AAAAAAA', destroyed('AAAAAAA'));
    expect(seen).toEqual(['destroyed', 'last:destroyed', 'last:destroyed']);
    expect(logged).toHaveBeenCalledWith('a destroyed handler failed: broken socket');
    logged.mockRestore();
  });
});
