import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {protoRoot} from '../../../source/data/grpc/proto-text.js';
import {isReadRpc, rpcClasses} from '../../../source/data/grpc/rpc-classes.js';

function protoFiles(dir: string): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return protoFiles(p);
    return e.name.endsWith('.proto') ? [p] : [];
  });
}

/** Full service name -> its rpc names, from `package` and every `service X { rpc Y(...) ... }`. */
function parseServices(text: string): Map<string, string[]> {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const pkg = /\bpackage\s+([\w.]+)\s*;/.exec(src)?.[1];
  const services = new Map<string, string[]>();
  const serviceRe = /\bservice\s+(\w+)\s*\{/g;
  for (let m = serviceRe.exec(src); m; m = serviceRe.exec(src)) {
    // the body ends at the matching brace: rpcs may carry `{}` or option blocks of their own
    let depth = 1;
    let i = serviceRe.lastIndex;
    for (; i < src.length && depth > 0; i++) {
      if (src[i] === '{') depth++;
      else if (src[i] === '}') depth--;
    }
    const body = src.slice(serviceRe.lastIndex, i - 1);
    const rpcs = [...body.matchAll(/\brpc\s+(\w+)\s*\(/g)].map((r) => r[1]);
    services.set(pkg ? `${pkg}.${m[1]}` : m[1], rpcs);
    serviceRe.lastIndex = i;
  }
  return services;
}

const defined = new Map<string, string[]>();
for (const file of protoFiles(protoRoot)) {
  for (const [service, rpcs] of parseServices(fs.readFileSync(file, 'utf8'))) {
    assert.ok(!defined.has(service), `${service} is defined twice`);
    defined.set(service, rpcs);
  }
}

test('the parser finds the services and their rpcs, with or without option bodies', () => {
  const parsed = parseServices(`
    syntax = "proto3";
    package a.b.v1; // trailing comment with rpc Fake(
    /* service Hidden { rpc Nope(X) returns (Y); } */
    service One {
      rpc Get(GetRequest) returns (GetResponse) {}
      rpc   Watch ( stream Req )
        returns (stream Res) { option (x) = {a: 1}; }
      rpc List(L) returns (M);
    }
    service Two { rpc Ping(P) returns (Q); }
  `);
  assert.deepEqual([...parsed], [
    ['a.b.v1.One', ['Get', 'Watch', 'List']],
    ['a.b.v1.Two', ['Ping']],
  ]);
});

test('proto/ holds the services undock calls', () => {
  for (const s of ['containerd.services.tasks.v1.Tasks', 'runtime.v1.RuntimeService', 'runtime.v1.ImageService', 'containerd.services.events.v1.Events']) {
    assert.ok(defined.has(s), s);
  }
});

test('every rpc in proto/ is classified exactly once, read xor write', () => {
  for (const [service, rpcs] of defined) {
    const c = rpcClasses[service];
    assert.ok(c, `${service} has no classification in rpc-classes.ts`);
    for (const rpc of rpcs) {
      const asRead = c.read.filter((m) => m === rpc).length;
      const asWrite = c.write.filter((m) => m === rpc).length;
      assert.equal(asRead + asWrite, 1, `${service}.${rpc}: listed ${asRead} times as read and ${asWrite} as write`);
    }
  }
});

test('the classification names no service or method that proto/ does not define', () => {
  for (const [service, c] of Object.entries(rpcClasses)) {
    const rpcs = defined.get(service);
    assert.ok(rpcs, `${service} is classified but not in proto/`);
    for (const m of [...c.read, ...c.write]) assert.ok(rpcs.includes(m), `${service}.${m} is classified but not in proto/`);
  }
});

test('the reads are reads and the dangerous ones are not', () => {
  const tasks = 'containerd.services.tasks.v1.Tasks';
  const cri = 'runtime.v1.RuntimeService';
  for (const m of ['Get', 'List', 'ListPids', 'Metrics', 'Wait']) assert.ok(isReadRpc(tasks, m), m);
  for (const m of ['Exec', 'Start', 'Kill', 'Create', 'Delete', 'ResizePty', 'CloseIO', 'Pause', 'Resume']) assert.ok(!isReadRpc(tasks, m), m);
  for (const m of ['Exec', 'Attach', 'PortForward', 'ExecSync', 'RunPodSandbox']) assert.ok(!isReadRpc(cri, m), m);
  assert.ok(!isReadRpc('runtime.v1.ImageService', 'PullImage'));
  assert.ok(isReadRpc('containerd.services.events.v1.Events', 'Subscribe'));
  assert.ok(!isReadRpc('containerd.services.events.v1.Events', 'Publish'), 'an unclassified method is not a read');
  assert.ok(!isReadRpc('containerd.services.leases.v1.Leases', 'List'), 'an unclassified service is not a read');
});
