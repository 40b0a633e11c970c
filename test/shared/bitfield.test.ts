import { describe, expect, it } from 'vitest';
import { Bitfield, BitfieldError } from '../../shared/bitfield.ts';

describe('Bitfield', () => {
  it('uses BEP 3 bit order: the high bit of byte 0 is piece 0', () => {
    const bitfield = new Bitfield(10);
    bitfield.set(0);
    bitfield.set(9);
    expect([...bitfield.bytes]).toEqual([0x80, 0x40]);
    expect(bitfield.get(0)).toBe(true);
    expect(bitfield.get(1)).toBe(false);
    expect(bitfield.toString()).toBe('1000000001');
  });

  it('keeps the count incrementally and reports completeness', () => {
    const bitfield = new Bitfield(3);
    expect(bitfield.count).toBe(0);
    expect(bitfield.set(1)).toBe(true);
    expect(bitfield.set(1)).toBe(false);
    expect(bitfield.count).toBe(1);
    bitfield.set(0);
    bitfield.set(2);
    expect(bitfield.isComplete).toBe(true);
    bitfield.set(2, false);
    expect(bitfield.count).toBe(2);
    expect(bitfield.isComplete).toBe(false);
  });

  it('has exactly ceil(length / 8) bytes', () => {
    expect(new Bitfield(0).bytes.length).toBe(0);
    expect(new Bitfield(8).bytes.length).toBe(1);
    expect(new Bitfield(9).bytes.length).toBe(2);
  });

  it('fromBytes accepts a valid peer bitfield and counts it', () => {
    const bitfield = Bitfield.fromBytes(Uint8Array.of(0xff, 0xc0), 10);
    expect(bitfield.count).toBe(10);
    expect(bitfield.isComplete).toBe(true);
  });

  it('fromBytes rejects spare bits set in the last byte', () => {
    expect(() => Bitfield.fromBytes(Uint8Array.of(0xff, 0xe0), 10)).toThrow(BitfieldError);
    expect(() => Bitfield.fromBytes(Uint8Array.of(0x01), 7)).toThrow(/spare bits/);
  });

  it('fromBytes rejects a wrong byte length', () => {
    expect(() => Bitfield.fromBytes(Uint8Array.of(0xff), 10)).toThrow(BitfieldError);
    expect(() => Bitfield.fromBytes(Uint8Array.of(0xff, 0, 0), 10)).toThrow(/expected 2/);
  });

  it('the constructor copies its bytes and clears spare bits', () => {
    const source = Uint8Array.of(0xff);
    const bitfield = new Bitfield(4, source);
    source[0] = 0;
    expect(bitfield.count).toBe(4);
    expect([...bitfield.bytes]).toEqual([0xf0]);
  });

  it('clone is independent', () => {
    const bitfield = new Bitfield(5);
    bitfield.set(2);
    const copy = bitfield.clone();
    copy.set(3);
    expect(bitfield.get(3)).toBe(false);
    expect(copy.count).toBe(2);
  });

  it('full, setAll and clearAll', () => {
    const bitfield = Bitfield.full(11);
    expect(bitfield.count).toBe(11);
    expect([...bitfield.bytes]).toEqual([0xff, 0xe0]);
    bitfield.clearAll();
    expect(bitfield.isEmpty).toBe(true);
  });

  it('iterates set and clear indices', () => {
    const bitfield = new Bitfield(20);
    for (const i of [0, 7, 8, 19]) bitfield.set(i);
    expect([...bitfield.setIndices()]).toEqual([0, 7, 8, 19]);
    expect([...bitfield.clearIndices()]).toHaveLength(16);
    expect([...bitfield.clearIndices()]).not.toContain(19);
    expect([...Bitfield.full(9).clearIndices()]).toEqual([]);
    const visited: number[] = [];
    bitfield.forEachSet((i) => visited.push(i));
    expect(visited).toEqual([0, 7, 8, 19]);
  });

  it('lacksAnyOf tells whether a peer has something we do not', () => {
    const mine = new Bitfield(9);
    const theirs = new Bitfield(9);
    expect(mine.lacksAnyOf(theirs)).toBe(false);
    theirs.set(8);
    expect(mine.lacksAnyOf(theirs)).toBe(true);
    mine.set(8);
    expect(mine.lacksAnyOf(theirs)).toBe(false);
  });

  it('rejects indices out of range', () => {
    const bitfield = new Bitfield(8);
    expect(() => bitfield.get(8)).toThrow(RangeError);
    expect(() => bitfield.set(-1)).toThrow(RangeError);
    expect(() => bitfield.get(1.5)).toThrow(RangeError);
  });
});
