// The watch storm's writer, run as a process of its own by bench/keys-storm.bench.ts: puts `count`
// new keys under `prefix`, one revision each, `inFlight` at a time (as fast as etcd takes them), and
// prints each put's revision and ack time (epoch ms) as JSON.
import {performance} from 'node:perf_hooks';
import {Etcd3} from 'etcd3';

const [endpoints, prefix, count, inFlight] = process.argv.slice(2);
const etcd = new Etcd3({hosts: endpoints!.split(',')});
const n = Number(count);
const acks: Array<[revision: number, atMs: number]> = [];
let next = 0;
let retries = 0;
const worker = async () => {
  while (next < n) {
    const i = next++;
    let res;
    // On a loaded machine etcd3's circuit breaker opens on slow answers: wait and put again.
    for (;;) {
      try {
        res = await etcd.put(`${prefix}s-${String(i).padStart(5, '0')}`).value(`storm ${i}`).exec();
        break;
      } catch {
        retries++;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    acks.push([Number(res.header.revision), performance.timeOrigin + performance.now()]);
  }
};
const t0 = performance.now();
await Promise.all(Array.from({length: Number(inFlight)}, worker));
process.stdout.write(JSON.stringify({ms: performance.now() - t0, acks, retries}));
etcd.close();
