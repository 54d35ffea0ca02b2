/**
 * The ring of examined files' bytes: slices in input order, space reused only once everything before it was
 * given back, and no slice ever written over while it is in use.
 */
import { describe, expect, it } from 'vitest';
import { FileRing, sliceBytes, type RingSlice } from './file-ring.js';

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('FileRing', () => {
  it('places slices one after another, wraps to the start once the oldest are given back, and says no when full', () => {
    const ring = new FileRing(100);
    const a = ring.put(bytes(40, 1))!;
    const b = ring.put(bytes(40, 2))!;
    expect([a.offset, b.offset]).toEqual([0, 40]);
    // 20 bytes left at the end, none at the start: no room for 30.
    expect(ring.put(bytes(30, 3))).toBeNull();
    expect(ring.used).toBe(80);
    // Giving back the newer one frees nothing yet: the older one still holds the start.
    ring.release(b);
    expect(ring.put(bytes(30, 3))).toBeNull();
    ring.release(a);
    expect(ring.used).toBe(0);
    // Empty: the next slice starts at the beginning again.
    const c = ring.put(bytes(30, 3))!;
    const d = ring.put(bytes(60, 4))!;
    expect([c.offset, d.offset]).toEqual([0, 30]);
    ring.release(c);
    // 10 bytes at the end, 30 at the start: 25 go to the start (the end's 10 wait behind d).
    const e = ring.put(bytes(25, 5))!;
    expect(e.offset).toBe(0);
    expect(ring.used).toBe(100 - 30 + 25);
    // Between e's end (25) and d's start (30) there are 5 bytes; a slice may not end exactly at d's start.
    expect(ring.put(bytes(5, 6))).toBeNull();
    expect(ring.put(bytes(4, 6))!.offset).toBe(25);
    expect(sliceBytes(ring.buffer, d)).toEqual(Buffer.from(bytes(60, 4)));
  });

  it('refuses empty files and files larger than the ring', () => {
    const ring = new FileRing(16);
    expect(ring.put(bytes(0, 0))).toBeNull();
    expect(ring.put(bytes(17, 1))).toBeNull();
    expect(ring.put(bytes(16, 1))!.offset).toBe(0);
  });

  it('never writes over a slice in use, whatever the order slices are given back in', () => {
    // A seeded pseudo-random run of puts and out-of-order releases; every live slice is checked byte for byte.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const ring = new FileRing(1000);
    const live: { slice: RingSlice; fill: number }[] = [];
    let placed = 0;
    let refused = 0;
    for (let step = 0; step < 20_000; step++) {
      if (live.length > 0 && next() < 0.45) {
        // Mostly the oldest (files are stored in order), sometimes another one (a file left out).
        const i = next() < 0.8 ? 0 : Math.floor(next() * live.length);
        ring.release(live.splice(i, 1)[0]!.slice);
      } else {
        const fill = step % 251;
        const slice = ring.put(bytes(1 + Math.floor(next() * 300), fill));
        if (slice) {
          placed++;
          live.push({ slice, fill });
        } else refused++;
      }
      for (const { slice, fill } of live) {
        const got = sliceBytes(ring.buffer, slice);
        if (got.some((x) => x !== fill)) throw new Error(`step ${step}: a slice in use was overwritten`);
      }
      expect(ring.used).toBeLessThanOrEqual(1000);
    }
    // Both outcomes happened, so the check above saw the ring wrap and fill up.
    expect(placed).toBeGreaterThan(5_000);
    expect(refused).toBeGreaterThan(100);
  });
});
