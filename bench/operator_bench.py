"""The operator benchmark's driver (run by bench/operator.sh): emulator, objects, kubelet role,
measurements. Prints a Markdown table."""

import argparse
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
NS = 'bench'
TICK = os.sysconf('SC_CLK_TCK')


class Api:
    def __init__(self, url):
        self.url = url

    def call(self, method, path, body=None, content_type='application/json'):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={'Content-Type': content_type})
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.loads(response.read() or b'null')

    def items(self, path):
        return self.call('GET', path)['items']

    def status(self, path, status):
        self.call('PATCH', path + '/status', {'status': status}, 'application/merge-patch+json')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    fields = pathlib.Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def memory_mib(pid, field):
    for line in pathlib.Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith(field + ':'):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def reconciles(port):
    text = urllib.request.urlopen(f'http://127.0.0.1:{port}/metrics', timeout=5).read().decode()
    return sum(float(l.rsplit(' ', 1)[1]) for l in text.splitlines() if l.startswith('resee_operator_reconciles_total'))


def wait(what, check, timeout=1800):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            sys.exit(f'timed out waiting for {what}')
        time.sleep(1)


def condition(resee, type_):
    for c in (resee.get('status') or {}).get('conditions', []):
        if c['type'] == type_:
            return c['status'], c['reason']
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--operator', required=True)
    parser.add_argument('--resees', type=int, default=50)
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix='resee-bench-operator.'))
    emulator = subprocess.Popen([sys.executable, str(ROOT / 'operator/tests/kmock_server.py'),
                                 '--crd', 'resee.dev/v1alpha1/resees=Resee'], stdout=subprocess.PIPE, text=True)
    operator = None
    try:
        url = emulator.stdout.readline().strip().removeprefix('listening on ')
        api = Api(url)
        (work / 'kubeconfig').write_text(
            f'apiVersion: v1\nkind: Config\nclusters: [{{name: k, cluster: {{server: "{url}"}}}}]\n'
            'users: [{name: u, user: {}}]\ncontexts: [{name: k, context: {cluster: k, user: u}}]\ncurrent-context: k\n')
        for name, key, value in [('db', 'DATABASE_URL', 'postgres://db/resee'), ('app', 'JWT_SECRET', 'x' * 40),
                                 ('s3', 'AWS_ACCESS_KEY_ID', 'a')]:
            api.call('POST', f'/api/v1/namespaces/{NS}/secrets', {
                'apiVersion': 'v1', 'kind': 'Secret', 'metadata': {'name': name, 'namespace': NS},
                'stringData': {key: value}})
        for i in range(args.resees):
            api.call('POST', f'/apis/resee.dev/v1alpha1/namespaces/{NS}/resees', {
                'apiVersion': 'resee.dev/v1alpha1', 'kind': 'Resee',
                'metadata': {'name': f'r{i:03}', 'namespace': NS},
                'spec': {'version': '1.0.0', 'database': {'secretRef': {'name': 'db', 'key': 'DATABASE_URL'}},
                         'app': {'name': 'app'}, 'redis': {'managed': {'storage': '1Gi', 'image': 'redis:7-alpine'}},
                         'ingress': {'host': f'r{i:03}.example.com'},
                         'backup': {'schedule': '0 3 * * *', 'timeZone': 'Asia/Seoul',
                                    'retention': {'days': 30, 'keepLast': 3},
                                    's3': {'bucket': 'b', 'prefix': f'r{i:03}', 'credentialsSecretRef': {'name': 's3'}}},
                         'api': {'replicas': 2}, 'worker': {'replicas': 1}, 'web': {'replicas': 2}}})
        resees = f'/apis/resee.dev/v1alpha1/namespaces/{NS}/resees'

        port = free_port()
        env = dict(os.environ, KUBECONFIG=str(work / 'kubeconfig'), METRICS_ADDR=f'127.0.0.1:{port}',
                   POD_NAME='bench', POD_NAMESPACE='default', APP_ENV='production', RUST_LOG='warn')
        env.pop('OTEL_EXPORTER_OTLP_ENDPOINT', None)
        started = time.monotonic()
        operator = subprocess.Popen([args.operator, 'run'], env=env, stderr=open(work / 'operator.log', 'w'))
        pid = operator.pid
        wait('the operator', lambda: _up(port))

        # Phase 1: the first, full reconcile of every Resee (everything applied, migration started).
        wait('first reconciles', lambda: all(condition(r, 'Progressing') == ('True', 'Migrating')
                                             for r in api.items(resees)))
        first_wall = time.monotonic() - started
        first_cpu, first_n = cpu_seconds(pid), reconciles(port)

        # Phase 2: the kubelet's part — migrations finish, pods become ready.
        for job in api.items(f'/apis/batch/v1/namespaces/{NS}/jobs'):
            api.status(f'/apis/batch/v1/namespaces/{NS}/jobs/{job["metadata"]["name"]}',
                       {'succeeded': 1, 'conditions': [{'type': 'Complete', 'status': 'True'}]})
        wait('api and worker', lambda: len(api.items(f'/apis/apps/v1/namespaces/{NS}/deployments')) == 3 * args.resees)
        for d in api.items(f'/apis/apps/v1/namespaces/{NS}/deployments'):
            n = d['spec']['replicas']
            api.status(f'/apis/apps/v1/namespaces/{NS}/deployments/{d["metadata"]["name"]}',
                       {'observedGeneration': d['metadata'].get('generation', 1), 'replicas': n,
                        'updatedReplicas': n, 'readyReplicas': n})
        for s in api.items(f'/apis/apps/v1/namespaces/{NS}/statefulsets'):
            api.status(f'/apis/apps/v1/namespaces/{NS}/statefulsets/{s["metadata"]["name"]}',
                       {'replicas': 1, 'readyReplicas': 1})
        wait('every Resee Ready', lambda: all(condition(r, 'Ready') == ('True', 'AllReady')
                                              for r in api.items(resees)))
        ready_wall = time.monotonic() - started
        time.sleep(5)
        settled_cpu, settled_n = cpu_seconds(pid), reconciles(port)
        rss, peak = memory_mib(pid, 'VmRSS'), memory_mib(pid, 'VmHWM')
        objects = sum(len(api.items(p)) for p in (
            f'/api/v1/namespaces/{NS}/configmaps', f'/api/v1/namespaces/{NS}/services',
            f'/apis/apps/v1/namespaces/{NS}/deployments', f'/apis/apps/v1/namespaces/{NS}/statefulsets',
            f'/apis/batch/v1/namespaces/{NS}/jobs', f'/apis/batch/v1/namespaces/{NS}/cronjobs',
            f'/apis/networking.k8s.io/v1/namespaces/{NS}/ingresses'))

        later_cpu = (settled_cpu - first_cpu) / max(settled_n - first_n, 1)
        print('| measure | result | target |')
        print('| --- | ---: | --- |')
        print(f'| Resees / children in the caches | {args.resees} / {objects} | |')
        print(f'| first reconcile of all, from the operator\'s start | {first_wall:.1f} s ({first_n:.0f} reconciles) | |')
        print(f'| until every Resee is Ready | {ready_wall:.1f} s ({settled_n:.0f} reconciles) | |')
        print(f'| CPU per reconcile, first (full) reconciles incl. start-up | {1000 * first_cpu / first_n:.1f} ms | < 50 ms |')
        print(f'| CPU per reconcile, the later ones (migration done, readiness) | {1000 * later_cpu:.1f} ms | |')
        print(f'| RSS settled (VmRSS) | {rss:.1f} MiB | < 40 MB |')
        print(f'| peak RSS (VmHWM) | {peak:.1f} MiB | < 40 MB |')
    finally:
        for process in (operator, emulator):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def _up(port):
    try:
        urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=2)
        return True
    except (urllib.error.URLError, OSError):
        return False


if __name__ == '__main__':
    main()
