import assert from 'node:assert/strict';
import {test} from 'node:test';
import {compareNode, inferNode, type ApiPod, type RuntimePod} from '../../../source/data/k8s/drift.js';
import {normalizeImage, sameImage} from '../../../source/data/k8s/image-names.js';

const NODE = 'worker-1';
const BUSYBOX = 'docker.io/library/busybox:latest';

function api(name: string, over: Partial<ApiPod> = {}): ApiPod {
  return {key: `/registry/pods/default/${name}`, namespace: 'default', name, uid: `uid-${name}`, nodeName: NODE, phase: 'Running', deleting: false, containers: [{name: 'c', image: BUSYBOX}], ...over};
}
function sandbox(name: string, over: Partial<RuntimePod> = {}): RuntimePod {
  return {
    id: `sb-${name}`, namespace: 'default', name, uid: `uid-${name}`, ready: true, attempt: 0, createdAt: 1,
    containers: [{id: `c-${name}`, name: 'c', attempt: 0, image: BUSYBOX, imageNames: []}], ...over,
  };
}

/** Each row: the two sides, and the findings as "kind ns/name" (plus the container for image rows). */
const table: Array<{name: string; api: ApiPod[]; runtime: RuntimePod[]; want: string[]}> = [
  {name: 'both sides agree', api: [api('a')], runtime: [sandbox('a')], want: []},
  {name: 'a sandbox the API does not have is an orphan', api: [], runtime: [sandbox('a')], want: ['orphan default/a']},
  {name: 'a sandbox whose name has another uid in the API: recreated, one finding, not also missing', api: [api('a', {uid: 'new'})], runtime: [sandbox('a')], want: ['recreated default/a']},
  {name: 'a sandbox of a pod bound to another node', api: [api('a', {nodeName: 'worker-2'})], runtime: [sandbox('a')], want: ['elsewhere default/a']},
  {name: 'bound here, Running, no sandbox: missing', api: [api('a')], runtime: [], want: ['missing default/a']},
  {name: 'bound here, Pending, no sandbox: missing', api: [api('a', {phase: 'Pending'})], runtime: [], want: ['missing default/a']},
  {name: 'Succeeded or Failed pods need no sandbox', api: [api('a', {phase: 'Succeeded'}), api('b', {phase: 'Failed'})], runtime: [], want: []},
  {name: 'a pod being deleted needs no sandbox', api: [api('a', {deleting: true})], runtime: [], want: []},
  {name: 'bound to another node, no sandbox here: not ours', api: [api('a', {nodeName: 'worker-2'})], runtime: [], want: []},
  {name: 'NotReady sandbox while the API says Running', api: [api('a')], runtime: [sandbox('a', {ready: false})], want: ['not-ready default/a']},
  {name: 'NotReady sandbox of a Succeeded pod is fine', api: [api('a', {phase: 'Succeeded'})], runtime: [sandbox('a', {ready: false})], want: []},
  {name: 'an old NotReady attempt beside a ready one is not reported', api: [api('a')], runtime: [sandbox('a', {id: 'old', ready: false}), sandbox('a', {attempt: 1})], want: []},
  {
    name: 'a container running another image than the spec',
    api: [api('a', {containers: [{name: 'c', image: 'nginx:1.25'}]})],
    runtime: [sandbox('a')],
    want: ['image default/a c'],
  },
  {
    name: 'short and full names are the same image; the runtime\'s names for the image ID count',
    api: [api('a', {containers: [{name: 'c', image: 'busybox'}]}), api('b', {containers: [{name: 'c', image: 'registry.local:5000/x:1'}]})],
    runtime: [sandbox('a'), sandbox('b', {containers: [{id: 'x', name: 'c', attempt: 0, image: 'sha256:' + 'a'.repeat(64), imageNames: ['registry.local:5000/x:1']}]})],
    want: [],
  },
  {
    name: 'only the latest attempt of a container is compared',
    api: [api('a')],
    runtime: [sandbox('a', {containers: [{id: '0', name: 'c', attempt: 0, image: 'nginx', imageNames: []}, {id: '1', name: 'c', attempt: 1, image: BUSYBOX, imageNames: []}]})],
    want: [],
  },
  {
    name: 'orphans first, then missing, sorted by name',
    api: [api('m2'), api('m1')],
    runtime: [sandbox('o')],
    want: ['orphan default/o', 'missing default/m1', 'missing default/m2'],
  },
];

for (const row of table) {
  test(`drift: ${row.name}`, () => {
    const got = compareNode(NODE, row.api, row.runtime).map((f) => `${f.kind} ${f.namespace}/${f.name}${f.container ? ` ${f.container}` : ''}`);
    assert.deepEqual(got, row.want);
  });
}

test('drift findings carry both sides for the jumps', () => {
  const [f] = compareNode(NODE, [api('a', {uid: 'new'})], [sandbox('a')]);
  assert.equal(f!.key, '/registry/pods/default/a');
  assert.equal(f!.sandboxId, 'sb-a');
  assert.equal(f!.apiUid, 'new');
  assert.equal(f!.sandboxUid, 'uid-a');
  assert.match(f!.meaning, /created again/);
});

test('the node is the one the API binds this runtime\'s pods to, else the hostname in lower case', () => {
  assert.deepEqual(inferNode([api('a'), api('b', {nodeName: 'other'})], [sandbox('a')], 'Host'), {node: NODE, from: 'pods'});
  assert.deepEqual(inferNode([api('a')], [sandbox('zzz')], 'My-Host'), {node: 'my-host', from: 'hostname'});
  assert.deepEqual(inferNode([], [], 'h'), {node: 'h', from: 'hostname'});
});

test('image names normalise as the docker reference rules say', () => {
  for (const [ref, want] of [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['library/busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['grafana/grafana:10', 'docker.io/grafana/grafana:10'],
    ['quay.io/prometheus/prometheus', 'quay.io/prometheus/prometheus:latest'],
    ['localhost/undock/toolbox:dev', 'localhost/undock/toolbox:dev'],
    ['127.0.0.1:5000/x', '127.0.0.1:5000/x:latest'],
    ['index.docker.io/library/nginx:1', 'docker.io/library/nginx:1'],
    [`nginx@sha256:${'b'.repeat(64)}`, `docker.io/library/nginx@sha256:${'b'.repeat(64)}`],
  ]) assert.equal(normalizeImage(ref!), want, ref);
  assert.ok(sameImage(`nginx@sha256:${'b'.repeat(64)}`, [`docker.io/library/nginx@sha256:${'b'.repeat(64)}`]));
  assert.ok(!sameImage('nginx:1.25', ['nginx:1.26']));
});
