/**
 * The first packets of each live flow (the ladder diagram), kept off the
 * garbage-collected heap: fixed-size slots in Float64Array chunks, reused
 * through a free list as flows leave the table.
 *
 * Why: a conversation's state outlives a scavenge or two, so everything it
 * holds on the heap is copied to the old generation and marked there. The
 * ladder was the largest part (80 numbers and 20 names per flow): kept in heap
 * arrays, a 1 GB capture's parse promoted 85-100 MB in 9-10 scavenges; with this
 * store 61 MB in 7 (measured with --trace-gc-nvp).
 */

/** Numbers per step: packet, sec, nsec, dir, flags, seq, ack, payload, interface id, file id. */
const NUMS = 10;
/** Slots per chunk (a chunk is allocated when the free list is empty). */
const CHUNK_SLOTS = 256;

/** One entry of a flow's first-N packet ladder (raw numbers, formatted at summary time). */
export interface LadderStep {
  packet: number;
  sec: number;
  nsec: number;
  /** 0 = A→B, 1 = B→A. */
  dir: number;
  iface: string | null;
  /** TCP flags byte (-1 for UDP). */
  flags: number;
  seq: number;
  ack: number;
  /** Transport payload length on the wire. */
  payload: number;
  file: string;
}

/** Ladder slots of one flow table: `steps` packets per flow. */
export class LadderStore {
  readonly steps: number;
  private readonly stride: number;
  private readonly chunks: Float64Array[] = [];
  private readonly free: number[] = [];
  /** Interface and file names, by id (0 = none). */
  private readonly names: Array<string | null> = [null];
  private readonly ids = new Map<string, number>();

  constructor(steps: number) {
    this.steps = steps;
    this.stride = steps * NUMS;
  }

  /** A free slot. */
  alloc(): number {
    const slot = this.free.pop();
    if (slot !== undefined) return slot;
    const base = this.chunks.length * CHUNK_SLOTS;
    this.chunks.push(new Float64Array(CHUNK_SLOTS * this.stride));
    for (let i = CHUNK_SLOTS - 1; i > 0; i--) this.free.push(base + i);
    return base;
  }

  /** Give a slot back (its flow's ladder can no longer be read). */
  release(slot: number): void {
    this.free.push(slot);
  }

  /** Slots in use (for tests and accounting). */
  get used(): number {
    return this.chunks.length * CHUNK_SLOTS - this.free.length;
  }

  /** Write step `k` of `slot`. */
  put(
    slot: number,
    k: number,
    packet: number,
    sec: number,
    nsec: number,
    dir: number,
    flags: number,
    seq: number,
    ack: number,
    payload: number,
    iface: string | null,
    file: string,
  ): void {
    const c = this.chunks[(slot / CHUNK_SLOTS) | 0];
    const i = (slot % CHUNK_SLOTS) * this.stride + k * NUMS;
    c[i] = packet;
    c[i + 1] = sec;
    c[i + 2] = nsec;
    c[i + 3] = dir;
    c[i + 4] = flags;
    c[i + 5] = seq;
    c[i + 6] = ack;
    c[i + 7] = payload;
    c[i + 8] = this.id(iface);
    c[i + 9] = this.id(file);
  }

  /** Steps 0 … n-1 of `slot`. */
  read(slot: number, n: number): LadderStep[] {
    const c = this.chunks[(slot / CHUNK_SLOTS) | 0];
    const out: LadderStep[] = [];
    for (let k = 0; k < n; k++) {
      const i = (slot % CHUNK_SLOTS) * this.stride + k * NUMS;
      out.push({
        packet: c[i],
        sec: c[i + 1],
        nsec: c[i + 2],
        dir: c[i + 3],
        flags: c[i + 4],
        seq: c[i + 5],
        ack: c[i + 6],
        payload: c[i + 7],
        iface: this.names[c[i + 8]],
        file: this.names[c[i + 9]] ?? '',
      });
    }
    return out;
  }

  /** Id of a name (interface names are interned by the caller, files are few: a Map lookup). */
  private id(name: string | null): number {
    if (name === null) return 0;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}
