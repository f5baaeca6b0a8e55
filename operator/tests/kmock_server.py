"""A Kubernetes API emulator for the operator's end-to-end test: kmock's KubernetesEmulator on
127.0.0.1, with what kube-rs needs and kmock 0.8 lacks.

    python kmock_server.py --crd resee.dev/v1alpha1/resees=Resee [--log]

Prints `listening on http://127.0.0.1:PORT` once ready (PORT is free, chosen by the OS) and
serves until SIGTERM/SIGINT.

Added on top of kmock:
- metadata kmock leaves out: resourceVersion on every write, uid, creationTimestamp, generation
  and the namespace from the URL on create; generation + 1 when a write changes `spec`;
- server-side apply (PATCH application/apply-patch+yaml) creates a missing object;
- PUT (replace), refused with 409 when the body's resourceVersion is stale (leader election
  relies on that);
- a write that changes nothing returns the object without a watch event (else controllers
  reconcile in a loop);
- 404/409 Status bodies with reason NotFound/AlreadyExists/Conflict;
- labelSelector and fieldSelector (equality and set-based) on list and watch; List kind;
- no request history (kmock's makes every request slower than the last).
Not emulated: managedFields and apply conflicts, strategic-merge lists (patches merge dicts and
replace lists), schema validation and defaulting, admission, owner-reference garbage collection,
watch resumption (each watch replays the current objects).
"""

import argparse
import asyncio
import copy
import datetime
import itertools
import json
import re
import signal
import uuid

import aiohttp.web
import kmock
from kmock._internal import dicts, enums, parsing

VERBS = {'get', 'list', 'watch', 'create', 'update', 'patch', 'delete'}
REASONS = {404: 'NotFound', 409: 'AlreadyExists'}


def conflict(message):
    """409 with reason Conflict: the object changed since the client read it."""
    return kmock.KubernetesError(status=409, reason='Conflict', message=message)


def now():
    return datetime.datetime.now(tz=datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')


def canonical(obj):
    return json.dumps(obj, sort_keys=True)


def parse_selector(text):
    """`a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)` -> [(key, op, value)]."""
    terms = []
    for term in re.findall(r'[^,(]+(?:\([^)]*\))?', text or ''):
        term = term.strip()
        if not term:
            continue
        if m := re.fullmatch(r'(\S+)\s+(in|notin)\s*\((.*)\)', term):
            terms.append((m[1], m[2], {v.strip() for v in m[3].split(',')}))
        elif '!=' in term:
            key, value = term.split('!=', 1)
            terms.append((key.strip(), '!=', value.strip()))
        elif '=' in term:
            key, value = term.replace('==', '=').split('=', 1)
            terms.append((key.strip(), '=', value.strip()))
        elif term.startswith('!'):
            terms.append((term[1:].strip(), '!exists', None))
        else:
            terms.append((term, 'exists', None))
    return terms


def field(obj, path):
    for part in path.split('.'):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


def selected(obj, labels, fields):
    have = (obj.get('metadata') or {}).get('labels') or {}
    tests = {
        '=': lambda k, v: have.get(k) == v,
        '!=': lambda k, v: have.get(k) != v,
        'in': lambda k, v: have.get(k) in v,
        'notin': lambda k, v: have.get(k) not in v,
        'exists': lambda k, v: k in have,
        '!exists': lambda k, v: k not in have,
    }
    if not all(tests[op](key, value) for key, op, value in labels):
        return False
    for key, op, value in fields:
        actual = str(field(obj, key))
        if (op == '=' and actual != value) or (op == '!=' and actual == value):
            return False
    return True


def parse_path(path):
    """kmock 0.8 answers 500 for /api/v1/namespaces[/name]; route those as core resources."""
    parts = path.strip('/').split('/')
    if parts[:3] == ['api', 'v1', 'namespaces'] and (len(parts) <= 4 or parts[4:] in (['status'], ['finalize'])):
        name = parts[3] if len(parts) > 3 else None
        sub = parts[4] if len(parts) > 4 else None
        return parsing.ParsedPath('', 'v1', 'namespaces', None, name, sub)
    return ORIGINAL_PARSE_PATH(path)


ORIGINAL_PARSE_PATH = parsing.parse_path


class Emulator(kmock.KubernetesEmulator):
    versions = itertools.count(1)
    log = False

    def __attrs_post_init__(self):
        super().__attrs_post_init__()
        self.fallback['put'] << self._serve_put

    def _next_version(self):
        return str(next(self.versions))

    def _live(self, request):
        key = (request.resource, request.namespace, request.name)
        if key in self._objects and not self._objects[key].deleted:
            return key, self._objects[key]
        return key, None

    async def _handle(self, request):
        # kmock keeps every request for test assertions and scans that history for each new one
        # (quadratic): this emulator keeps only the current request.
        del self._requests[:-1]
        if self.log:
            print(f'{datetime.datetime.now().time()} {request.method} {request.url.path_qs}', flush=True)
        if request.resource is None:
            return await super()._handle(request)
        if request.method == 'PUT' and request.name and isinstance(request.data, dict):
            return await self._replace(request)
        is_write = request.action in (enums.action.CREATE, enums.action.UPDATE)
        if request.action == enums.action.UPDATE and request.name and isinstance(request.data, dict):
            async with self._lock:
                _, live = self._live(request)
                if live is not None:
                    before = copy.deepcopy(live.raw)
                    after = dicts.patch_dict(copy.deepcopy(before), copy.deepcopy(request.data))
                    if canonical(after) == canonical(before):
                        return aiohttp.web.json_response(before)
                    if not request.subresource and after.get('spec') != before.get('spec'):
                        generation = (before.get('metadata') or {}).get('generation', 1) + 1
                        request.data.setdefault('metadata', {})['generation'] = generation
        if request.action == enums.action.UPDATE and isinstance(request.data, list):
            request.data.append({'op': 'add', 'path': '/metadata/resourceVersion', 'value': self._next_version()})
        if is_write and isinstance(request.data, dict):
            meta = request.data.setdefault('metadata', {})
            meta['resourceVersion'] = self._next_version()
            if request.action == enums.action.CREATE:
                self._stamp(meta, request.namespace)
            content_type = {k.lower(): v for k, v in request.headers.items()}.get('content-type', '')
            if request.action == enums.action.UPDATE and 'apply-patch' in content_type and not request.subresource:
                await self._create_on_apply(request)
        return await super()._handle(request)

    @staticmethod
    def _stamp(meta, namespace):
        if namespace:
            meta.setdefault('namespace', namespace)
        meta.setdefault('uid', str(uuid.uuid4()))
        meta.setdefault('creationTimestamp', now())
        meta.setdefault('generation', 1)

    async def _create_on_apply(self, request):
        """Server-side apply of a missing object creates it (kmock would answer 404)."""
        async with self._lock:
            key, live = self._live(request)
            if live is not None:
                return
            meta = request.data['metadata']
            meta.setdefault('name', request.name)
            self._stamp(meta, request.namespace)
            if key in self._objects:
                self._objects[key].create(request.data)
            else:
                self._objects[key] = request.data
            await self._buses[request.resource].put({'type': 'ADDED', 'object': self._objects[key].raw})

    async def _replace(self, request):
        async with self._lock:
            key, live = self._live(request)
            if live is None:
                raise kmock.KubernetesObjectNotFoundError()
            meta = request.data.setdefault('metadata', {})
            current = live.raw.get('metadata', {})
            if meta.get('resourceVersion') not in (None, current.get('resourceVersion')):
                raise conflict(f'the object has been modified; resourceVersion {meta["resourceVersion"]} is stale')
            for kept in ('uid', 'creationTimestamp', 'namespace', 'generation'):
                if kept in current:
                    meta[kept] = current[kept]
            if request.data.get('spec') != live.raw.get('spec'):
                meta['generation'] = current.get('generation', 1) + 1
            meta['resourceVersion'] = self._next_version()
            self._objects[key].create(request.data)
            await self._buses[request.resource].put({'type': 'MODIFIED', 'object': self._objects[key].raw})
            return aiohttp.web.json_response(self._objects[key].raw)

    async def _serve_put(self, request):
        raise kmock.KubernetesEndpointNotFoundError()

    def _selectors(self, request):
        return parse_selector(request.params.get('labelSelector')), parse_selector(request.params.get('fieldSelector'))

    async def _serve_list(self, request):
        result = await super()._serve_list(request)
        labels, fields = self._selectors(request)
        result['items'] = [o for o in result['items'] if selected(o, labels, fields)]
        info = self._resources[request.resource]
        result['apiVersion'] = '/'.join(p for p in (request.resource.group, request.resource.version) if p)
        result['kind'] = f'{info.kind}List' if info.kind else 'List'
        result['metadata']['resourceVersion'] = self._next_version()
        return result

    async def _serve_watch(self, request):
        labels, fields = self._selectors(request)
        async for event in super()._serve_watch(request):
            obj = event.get('object') if isinstance(event, dict) else None
            if isinstance(obj, dict) and not selected(obj, labels, fields):
                continue
            yield event

    async def _render_error(self, exc):
        if isinstance(exc, kmock.KubernetesError) and exc.status in (404, 409):
            reason = 'Conflict' if exc.reason == 'Conflict' else REASONS[exc.status]
            body = {
                'apiVersion': 'v1', 'kind': 'Status', 'metadata': {}, 'status': 'Failure',
                'code': exc.status, 'reason': reason, 'message': exc.message or exc.reason,
            }
            return aiohttp.web.json_response(body, status=exc.status)
        return await super()._render_error(exc)


async def serve(args):
    parsing.parse_path = parse_path
    Emulator.log = args.log
    async with Emulator() as k8s, kmock.Server(k8s, host='127.0.0.1') as server:
        k8s.resources.load_bundled()
        for crd in args.crd:
            resource, kind = crd.split('=', 1)
            k8s.resources[resource] = dict(kind=kind, singular=kind.lower(), namespaced=True, verbs=set(VERBS),
                                           subresources={'status'})
        print(f'listening on http://127.0.0.1:{server.port}', flush=True)
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await stop.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--crd', action='append', default=[], metavar='GROUP/VERSION/PLURAL=Kind',
                        help='a namespaced custom resource with a status subresource (repeatable)')
    parser.add_argument('--log', action='store_true', help='print every request')
    asyncio.run(serve(parser.parse_args()))


if __name__ == '__main__':
    main()
