/** One object of every kind undock has a schema for, as `kubectl get -o json` shows it. */
type Obj = Record<string, unknown>;

const t1 = '2026-11-30T10:00:00Z';
const t2 = '2026-11-30T10:05:07Z';
const owner = (kind: string, name: string, uid: string, apiVersion = 'apps/v1') => ({apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true});
const meta = (name: string, extra: Obj = {}) => ({
  name,
  namespace: 'shop',
  uid: `0000${name.length}-aaaa-4bbb-8ccc-${name.padEnd(12, '0').slice(0, 12).replace(/[^0-9a-f]/g, 'e')}`,
  resourceVersion: '4711',
  creationTimestamp: t1,
  labels: {app: 'web'},
  ...extra,
});

const podSpec = {
  volumes: [
    {name: 'cache', emptyDir: {sizeLimit: '64Mi'}},
    {name: 'config', configMap: {name: 'web-config', defaultMode: 420}},
    {name: 'data', persistentVolumeClaim: {claimName: 'web-data'}},
    {name: 'host', hostPath: {path: '/var/log', type: 'Directory'}},
    {
      name: 'kube-api-access-x7k2p',
      projected: {
        defaultMode: 420,
        sources: [
          {serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
          {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}},
          {downwardAPI: {items: [{path: 'namespace', fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}}]}},
        ],
      },
    },
  ],
  initContainers: [{name: 'migrate', image: 'docker.io/library/busybox:1.36', command: ['sh', '-c', 'echo ok'], resources: {}}],
  containers: [
    {
      name: 'web',
      image: 'docker.io/library/nginx:1.27',
      args: ['-g', 'daemon off;'],
      ports: [{name: 'http', containerPort: 80, protocol: 'TCP'}],
      env: [
        {name: 'MODE', value: 'prod'},
        {name: 'POD_IP', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'status.podIP'}}},
        {name: 'TOKEN', valueFrom: {secretKeyRef: {name: 'web-secret', key: 'token', optional: false}}},
        {name: 'LIMIT', valueFrom: {resourceFieldRef: {containerName: 'web', resource: 'limits.memory', divisor: '1Mi'}}},
      ],
      envFrom: [{configMapRef: {name: 'web-config'}}, {prefix: 'S_', secretRef: {name: 'web-secret'}}],
      resources: {limits: {cpu: '500m', memory: '256Mi'}, requests: {cpu: '100m', memory: '128Mi'}},
      volumeMounts: [
        {name: 'config', mountPath: '/etc/nginx/conf.d', readOnly: true},
        {name: 'cache', mountPath: '/var/cache/nginx', subPath: 'nginx'},
      ],
      livenessProbe: {httpGet: {path: '/healthz', port: 'http', scheme: 'HTTP'}, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3},
      readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 5},
      startupProbe: {exec: {command: ['cat', '/tmp/ready']}, failureThreshold: 30},
      lifecycle: {preStop: {exec: {command: ['nginx', '-s', 'quit']}}},
      securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 101, capabilities: {drop: ['ALL'], add: ['NET_BIND_SERVICE']}, seccompProfile: {type: 'RuntimeDefault'}},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    },
  ],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  nodeSelector: {'kubernetes.io/os': 'linux'},
  serviceAccountName: 'web',
  serviceAccount: 'web',
  securityContext: {fsGroup: 101, runAsUser: 0},
  imagePullSecrets: [{name: 'registry'}],
  affinity: {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {weight: 100, podAffinityTerm: {labelSelector: {matchLabels: {app: 'web'}}, topologyKey: 'kubernetes.io/hostname'}},
      ],
    },
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: 'node-role', operator: 'In', values: ['worker']}]}]},
    },
  },
  schedulerName: 'default-scheduler',
  tolerations: [{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300}],
  priority: 0,
  enableServiceLinks: true,
  preemptionPolicy: 'PreemptLowerPriority',
  topologySpreadConstraints: [{maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: {matchLabels: {app: 'web'}}}],
};

const template = {metadata: {labels: {app: 'web'}, annotations: {'kubectl.kubernetes.io/restartedAt': t1}}, spec: podSpec};

export const FIXTURES: Obj[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('web-7d4b9c-xk2p9', {
      generateName: 'web-7d4b9c-',
      ownerReferences: [owner('ReplicaSet', 'web-7d4b9c', 'rs-uid-1')],
      managedFields: [
        {manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: t1, fieldsType: 'FieldsV1', fieldsV1: {'f:metadata': {'f:generateName': {}}}},
        {manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: t2, fieldsType: 'FieldsV1', fieldsV1: {'f:status': {}}, subresource: 'status'},
      ],
    }),
    spec: {...podSpec, nodeName: 'node-1', hostNetwork: true},
    status: {
      phase: 'Running',
      conditions: [
        {type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: t2},
        {type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t1},
      ],
      hostIP: '10.0.0.4',
      hostIPs: [{ip: '10.0.0.4'}],
      podIP: '10.244.1.7',
      podIPs: [{ip: '10.244.1.7'}],
      startTime: t1,
      initContainerStatuses: [
        {name: 'migrate', state: {terminated: {exitCode: 0, reason: 'Completed', startedAt: t1, finishedAt: t1, containerID: 'containerd://aa11'}}, lastState: {}, ready: true, restartCount: 0, image: 'docker.io/library/busybox:1.36', imageID: 'docker.io/library/busybox@sha256:0b1c', containerID: 'containerd://aa11', started: false},
      ],
      containerStatuses: [
        {name: 'web', state: {running: {startedAt: t2}}, lastState: {terminated: {exitCode: 137, signal: 9, reason: 'OOMKilled', startedAt: t1, finishedAt: t1}}, ready: true, restartCount: 1, image: 'docker.io/library/nginx:1.27', imageID: 'docker.io/library/nginx@sha256:1f2e', containerID: 'containerd://bb22', started: true},
      ],
      qosClass: 'Burstable',
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {name: 'node-1', uid: 'node-uid-1', creationTimestamp: t1, labels: {'kubernetes.io/hostname': 'node-1'}, annotations: {'node.alpha.kubernetes.io/ttl': '0'}},
    spec: {podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], providerID: 'kind://docker/node-1', taints: [{key: 'dedicated', value: 'web', effect: 'NoSchedule', timeAdded: t1}], unschedulable: true},
    status: {
      capacity: {cpu: '2', memory: '8133456Ki', pods: '110', 'ephemeral-storage': '61255492Ki'},
      allocatable: {cpu: '1900m', memory: '7G', pods: '110'},
      conditions: [{type: 'Ready', status: 'True', lastHeartbeatTime: t2, lastTransitionTime: t1, reason: 'KubeletReady', message: 'kubelet is posting ready status'}],
      addresses: [{type: 'InternalIP', address: '10.0.0.4'}, {type: 'Hostname', address: 'node-1'}],
      daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
      nodeInfo: {machineID: 'm1', systemUUID: 's1', bootID: 'b1', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.6.20', kubeletVersion: 'v1.29.2', kubeProxyVersion: 'v1.29.2', operatingSystem: 'linux', architecture: 'amd64'},
      images: [{names: ['docker.io/library/nginx@sha256:1f2e', 'docker.io/library/nginx:1.27'], sizeBytes: 70000000}],
      volumesInUse: ['kubernetes.io/csi/hostpath^vol-1'],
      volumesAttached: [{name: 'kubernetes.io/csi/hostpath^vol-1', devicePath: ''}],
    },
  },
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop', uid: 'ns-uid', creationTimestamp: t1, labels: {'kubernetes.io/metadata.name': 'shop'}}, spec: {finalizers: ['kubernetes']}, status: {phase: 'Active', conditions: [{type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: t2, reason: 'ContentDeleted', message: 'All content successfully deleted'}]}},
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('web'),
    spec: {ports: [{name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080}, {name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9090}], selector: {app: 'web'}, clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], type: 'NodePort', sessionAffinity: 'ClientIP', sessionAffinityConfig: {clientIP: {timeoutSeconds: 10800}}, externalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster'},
    status: {loadBalancer: {ingress: [{ip: '192.0.2.10'}]}, conditions: [{type: 'Ready', status: 'True', observedGeneration: 2, lastTransitionTime: t1, reason: 'Ok', message: 'fine'}]},
  },
  {apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web'), subsets: [{addresses: [{ip: '10.244.1.7', nodeName: 'node-1', targetRef: {kind: 'Pod', namespace: 'shop', name: 'web-7d4b9c-xk2p9', uid: 'pod-uid'}}], notReadyAddresses: [{ip: '10.244.1.8', hostname: 'web-1'}], ports: [{name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http'}]}]},
  {apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('web-config'), data: {'nginx.conf': 'server {\n  listen 80;\n}\n', MODE: 'prod'}, binaryData: {'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]).toString('base64')}, immutable: false},
  {apiVersion: 'v1', kind: 'Secret', metadata: meta('web-secret'), type: 'Opaque', data: {token: Buffer.from('s3cr3t-t0ken').toString('base64'), 'tls.key': Buffer.from([0, 255, 1, 254]).toString('base64')}, immutable: true},
  {apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('web'), secrets: [{name: 'web-token-abcde'}], imagePullSecrets: [{name: 'registry'}], automountServiceAccountToken: false},
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('web-7d4b9c-xk2p9.17a2b3c4d5e6f7a8'),
    involvedObject: {kind: 'Pod', namespace: 'shop', name: 'web-7d4b9c-xk2p9', uid: 'pod-uid', apiVersion: 'v1', resourceVersion: '4700', fieldPath: 'spec.containers{web}'},
    reason: 'Pulled',
    message: 'Container image "docker.io/library/nginx:1.27" already present on machine',
    source: {component: 'kubelet', host: 'node-1'},
    firstTimestamp: t1,
    lastTimestamp: t2,
    count: 3,
    type: 'Normal',
    eventTime: '2026-11-30T10:05:07.123456Z',
    series: {count: 2, lastObservedTime: '2026-11-30T10:05:07.000001Z'},
    action: 'Pulling',
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {name: 'pv-web-data', uid: 'pv-uid', creationTimestamp: t1, finalizers: ['kubernetes.io/pv-protection']},
    spec: {capacity: {storage: '10Gi'}, csi: {driver: 'hostpath.csi.k8s.io', volumeHandle: 'vol-1', fsType: 'ext4', volumeAttributes: {kind: 'fs'}, nodePublishSecretRef: {name: 'csi', namespace: 'kube-system'}}, accessModes: ['ReadWriteOnce'], claimRef: {kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'web-data', uid: 'pvc-uid', apiVersion: 'v1', resourceVersion: '42'}, persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard', mountOptions: ['noatime'], volumeMode: 'Filesystem', nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1']}]}]}}},
    status: {phase: 'Bound'},
  },
  {apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('web-data', {annotations: {'pv.kubernetes.io/bind-completed': 'yes'}}), spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '10Gi'}}, volumeName: 'pv-web-data', storageClassName: 'standard', volumeMode: 'Filesystem', selector: {matchExpressions: [{key: 'tier', operator: 'NotIn', values: ['cold']}]}}, status: {phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: {storage: '10Gi'}, conditions: [{type: 'Resizing', status: 'False', lastProbeTime: null, lastTransitionTime: t1}]}},
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web', {generation: 3, annotations: {'deployment.kubernetes.io/revision': '2'}}),
    spec: {replicas: 0, selector: {matchLabels: {app: 'web'}}, template, strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '25%', maxSurge: 1}}, revisionHistoryLimit: 10, progressDeadlineSeconds: 600},
    status: {observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, conditions: [{type: 'Available', status: 'True', lastUpdateTime: t2, lastTransitionTime: t1, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.'}]},
  },
  {apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web-7d4b9c', {ownerReferences: [owner('Deployment', 'web', 'dep-uid')]}), spec: {replicas: 2, selector: {matchLabels: {app: 'web', 'pod-template-hash': '7d4b9c'}}, template, minReadySeconds: 5}, status: {replicas: 0, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1, conditions: [{type: 'ReplicaFailure', status: 'False', lastTransitionTime: t1, reason: 'Ok', message: 'ok'}]}},
  {apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('log-agent'), spec: {selector: {matchLabels: {app: 'log-agent'}}, template, updateStrategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 1, maxSurge: 0}}, revisionHistoryLimit: 10}, status: {currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1, observedGeneration: 1, updatedNumberScheduled: 1, numberAvailable: 1}},
  {apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db'), spec: {replicas: 1, selector: {matchLabels: {app: 'db'}}, template, volumeClaimTemplates: [{apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: 'data', creationTimestamp: null}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}, volumeMode: 'Filesystem'}, status: {phase: 'Pending'}}], serviceName: 'db', podManagementPolicy: 'OrderedReady', updateStrategy: {type: 'RollingUpdate', rollingUpdate: {partition: 0}}, revisionHistoryLimit: 10}, status: {observedGeneration: 1, replicas: 1, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1, currentRevision: 'db-5f6d', updateRevision: 'db-5f6d', collisionCount: 0, availableReplicas: 1}},
  {apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: meta('db-5f6d', {ownerReferences: [owner('StatefulSet', 'db', 'sts-uid')]}), data: {spec: {template: {$patch: 'replace', metadata: {labels: {app: 'db'}}}}}, revision: 1},
  {apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi', {labels: {'job-name': 'pi'}}), spec: {parallelism: 1, completions: 1, backoffLimit: 4, selector: {matchLabels: {'controller-uid': 'job-uid'}}, manualSelector: false, template: {metadata: {labels: {'job-name': 'pi'}}, spec: {...podSpec, restartPolicy: 'Never'}}, completionMode: 'NonIndexed', suspend: false, ttlSecondsAfterFinished: 100}, status: {conditions: [{type: 'Complete', status: 'True', lastProbeTime: t2, lastTransitionTime: t2}], startTime: t1, completionTime: t2, succeeded: 1, ready: 0}},
  {apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('report'), spec: {schedule: '*/5 * * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', suspend: false, jobTemplate: {metadata: {creationTimestamp: null}, spec: {template: {metadata: {creationTimestamp: null}, spec: {...podSpec, restartPolicy: 'OnFailure'}}}}, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, startingDeadlineSeconds: 60}, status: {active: [{kind: 'Job', namespace: 'shop', name: 'report-2900', uid: 'j-uid', apiVersion: 'batch/v1', resourceVersion: '99'}], lastScheduleTime: t1, lastSuccessfulTime: t2}},
  {apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {name: 'node-1', namespace: 'kube-node-lease', uid: 'lease-uid', creationTimestamp: t1, ownerReferences: [owner('Node', 'node-1', 'node-uid-1', 'v1')]}, spec: {holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-11-30T10:05:07.654321Z', acquireTime: '2026-11-30T10:00:00.000000Z', leaseTransitions: 0}},
  {apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('web-abc12', {labels: {'kubernetes.io/service-name': 'web'}}), addressType: 'IPv4', endpoints: [{addresses: ['10.244.1.7'], conditions: {ready: true, serving: true, terminating: false}, nodeName: 'node-1', zone: 'a', targetRef: {kind: 'Pod', namespace: 'shop', name: 'web-7d4b9c-xk2p9', uid: 'pod-uid'}, hints: {forZones: [{name: 'a'}]}}], ports: [{name: 'http', protocol: 'TCP', port: 80}]},
  {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('reader'), rules: [{verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'], resourceNames: ['web']}]},
  {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('reader'), subjects: [{kind: 'ServiceAccount', name: 'web', namespace: 'shop'}], roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader'}},
  {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: {name: 'view', uid: 'cr-uid', creationTimestamp: t1}, rules: [{verbs: ['get'], nonResourceURLs: ['/healthz']}], aggregationRule: {clusterRoleSelectors: [{matchLabels: {'rbac.authorization.k8s.io/aggregate-to-view': 'true'}}]}},
  {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: {name: 'view-all', uid: 'crb-uid', creationTimestamp: t1}, subjects: [{kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'viewers'}], roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view'}},
];
