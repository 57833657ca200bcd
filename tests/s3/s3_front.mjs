// A verifying front for npm's s3rver, which checks no signatures (its issue #659), has no
// ListMultipartUploads (501) or AbortMultipartUpload (405) and accepts made-up ETags in
// CompleteMultipartUpload. The front sits before it on loopback and:
// - recomputes every request's SigV4 signature with the AWS SDK's own signer
//   (@smithy/signature-v4) as the oracle, for Authorization headers and presigned URLs (expiry
//   included), canonicalising the path and the query as S3 does, and checks the payload's
//   x-amz-content-sha256; a mismatch is a 403 as S3 sends it;
// - refuses aws-chunked (streaming) bodies with 501: nothing here sends them, and a front that
//   passed them unchecked would prove nothing;
// - tracks the multipart uploads it sees, answers ListMultipartUploads and
//   AbortMultipartUpload itself, and checks CompleteMultipartUpload's parts against the ETags
//   the store gave;
// - logs every object that became visible, in order (`front.published`), and can fail the next
//   N UploadPart requests (`front.faults.failUploadParts`) to test retry and abort, and delays
//   each one (`front.faults.delayUploadPartsMs`) to catch uploads in flight.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';

const Sha256 = Hash.bind(null, 'sha256');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// S3's URI encoding of one path segment: RFC 3986 unreserved characters stay, the rest %XX.
const awsEncode = (text) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// The canonical path S3 computes whatever the client wrote: each segment decoded, then
// encoded once. A client that signs '=' raw where S3 reads %3D fails here as it would there.
export function canonicalPath(rawPath) {
  return rawPath.split('/').map((seg) => awsEncode(decodeURIComponent(seg))).join('/');
}

function xmlError(res, status, code, message, extra = {}) {
  const fields = Object.entries({ Code: code, Message: message, ...extra })
    .map(([k, v]) => `<${k}>${String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${k}>`)
    .join('');
  res.writeHead(status, { 'Content-Type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>`);
}

const escapeXml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function parseAuthorization(header) {
  const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return null;
  return { credential: m[1], signedHeaders: m[2].split(';'), signature: m[3] };
}

// "AKID/20130524/us-east-1/s3/aws4_request"
function parseCredential(text) {
  const parts = (text ?? '').split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return null;
  return { accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3] };
}

// "20130524T000000Z" -> Date
function parseAmzDate(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

// Verifies one request's signature; returns null when it holds, else [status, code, message].
export async function verifySignature(req, body, { credentials, region, now = new Date() }) {
  const url = new URL(req.url, 'http://front');
  const query = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const path = canonicalPath(url.pathname);
  const presigned = 'X-Amz-Signature' in query;
  let given;
  let credential;
  let signedHeaders;
  let amzDate;
  if (presigned) {
    given = query['X-Amz-Signature'];
    credential = parseCredential(query['X-Amz-Credential']);
    signedHeaders = (query['X-Amz-SignedHeaders'] ?? '').split(';');
    amzDate = query['X-Amz-Date'];
    if (query['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256') return [400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256'];
  } else {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return [403, 'AccessDenied', 'the request is not signed with AWS4-HMAC-SHA256'];
    given = auth.signature;
    credential = parseCredential(auth.credential);
    signedHeaders = auth.signedHeaders;
    amzDate = req.headers['x-amz-date'];
  }
  if (!credential) return [403, 'AuthorizationHeaderMalformed', 'malformed credential scope'];
  if (credential.accessKeyId !== credentials.accessKeyId) return [403, 'InvalidAccessKeyId', `unknown access key ${credential.accessKeyId}`];
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) return [403, 'AccessDenied', 'missing or malformed X-Amz-Date'];
  if (!signedHeaders.includes('host')) return [403, 'AccessDenied', 'the host header must be signed'];

  const headers = {};
  for (const name of signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) return [403, 'AccessDenied', `signed header ${name} is missing`];
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const request = new HttpRequest({ method: req.method, protocol: 'http:', hostname: req.headers.host, path, query, headers });
  let expected;
  if (presigned) {
    const expiresIn = Number(query['X-Amz-Expires']);
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 604800) return [400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be 1-604800'];
    if (now.getTime() > signingDate.getTime() + expiresIn * 1000) return [403, 'AccessDenied', 'Request has expired'];
    for (const k of ['X-Amz-Signature', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Security-Token']) delete request.query[k];
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const skip = new Set(['x-amz-content-sha256']);
    const signed = await signer.presign(request, { signingDate, expiresIn, signingRegion: credential.region === region ? region : credential.region, unhoistableHeaders: skip, unsignableHeaders: skip, signableHeaders: new Set(signedHeaders) });
    expected = signed.query['X-Amz-Signature'];
    if (credential.region !== region) return [403, 'AuthorizationQueryParametersError', `region ${credential.region} is wrong; expecting ${region}`];
  } else {
    const payloadHash = req.headers['x-amz-content-sha256'];
    if (!payloadHash) return [400, 'InvalidRequest', 'missing x-amz-content-sha256'];
    if (payloadHash.startsWith('STREAMING-')) return [501, 'NotImplemented', 'aws-chunked bodies are not accepted by this test store'];
    if (payloadHash !== 'UNSIGNED-PAYLOAD') {
      const actual = createHash('sha256').update(body).digest('hex');
      if (actual !== payloadHash) return [400, 'XAmzContentSHA256Mismatch', 'the body does not match x-amz-content-sha256'];
    }
    const signed = await signer.sign(request, { signingDate, signableHeaders: new Set(signedHeaders) });
    expected = parseAuthorization(signed.headers.authorization)?.signature;
    if (credential.region !== region) return [403, 'AuthorizationHeaderMalformed', `region ${credential.region} is wrong; expecting ${region}`];
  }
  if (expected !== given) return [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided'];
  return null;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(target, req, body) {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: `${target.address}:${target.port}` };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
    const upstream = http.request({ host: target.address, port: target.port, method: req.method, path: req.url, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}

// Starts the front before the s3rver at `target` ({address, port}).
export async function startFront({ target, credentials, region, bucket }) {
  const uploads = new Map(); // uploadId -> { key, initiated, parts: Map(partNumber -> etag) }
  const front = {
    faults: { failUploadParts: 0, delayUploadPartsMs: 0 },
    published: [], // keys of objects as they became visible, in order
    refused: [], // [status, code, method, url] of every refusal
    uploads,
    counts: {},
  };
  const count = (op) => { front.counts[op] = (front.counts[op] ?? 0) + 1; };

  const server = http.createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const url = new URL(req.url, 'http://front');
      const q = url.searchParams;
      const refusal = await verifySignature(req, body, { credentials, region });
      if (refusal) {
        front.refused.push([refusal[0], refusal[1], req.method, req.url]);
        return xmlError(res, ...refusal);
      }
      // Path-style only: /bucket[/key]
      const [, b, ...rest] = url.pathname.split('/');
      const key = rest.map(decodeURIComponent).join('/');
      if (decodeURIComponent(b ?? '') !== bucket) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: b });

      if (req.method === 'GET' && q.has('uploads') && !key) {
        count('ListMultipartUploads');
        const prefix = q.get('prefix') ?? '';
        const list = [...uploads.entries()].filter(([, u]) => u.key.startsWith(prefix))
          .sort((a, c) => (a[1].key < c[1].key ? -1 : a[1].key > c[1].key ? 1 : a[1].initiated - c[1].initiated));
        const items = list.map(([id, u]) => `<Upload><Key>${escapeXml(u.key)}</Key><UploadId>${escapeXml(id)}</UploadId><Initiated>${new Date(u.initiated).toISOString()}</Initiated></Upload>`).join('');
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        return res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${bucket}</Bucket><Prefix>${escapeXml(prefix)}</Prefix><IsTruncated>false</IsTruncated>${items}</ListMultipartUploadsResult>`);
      }
      if (req.method === 'DELETE' && q.has('uploadId')) {
        count('AbortMultipartUpload');
        const upload = uploads.get(q.get('uploadId'));
        if (!upload || upload.key !== key) return xmlError(res, 404, 'NoSuchUpload', 'The specified upload does not exist');
        uploads.delete(q.get('uploadId'));
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'PUT' && q.has('uploadId')) {
        count('UploadPart');
        const upload = uploads.get(q.get('uploadId'));
        if (!upload || upload.key !== key) return xmlError(res, 404, 'NoSuchUpload', 'The specified upload does not exist');
        // A slow store: each part waits this long, so a test can catch uploads in flight.
        if (front.faults.delayUploadPartsMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, front.faults.delayUploadPartsMs));
        }
        if (front.faults.failUploadParts > 0) {
          front.faults.failUploadParts--;
          return xmlError(res, 500, 'InternalError', 'injected UploadPart failure');
        }
        const answer = await forward(target, req, body);
        if (answer.status === 200) upload.parts.set(Number(q.get('partNumber')), answer.headers.etag);
        res.writeHead(answer.status, answer.headers);
        return res.end(answer.body);
      }
      if (req.method === 'POST' && q.has('uploadId')) {
        count('CompleteMultipartUpload');
        const upload = uploads.get(q.get('uploadId'));
        if (!upload || upload.key !== key) return xmlError(res, 404, 'NoSuchUpload', 'The specified upload does not exist');
        const parts = [...body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => [
          Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
          (/<ETag>([^<]*)<\/ETag>/.exec(m[1])?.[1] ?? '').replace(/&quot;/g, '"'),
        ]);
        if (parts.length === 0) return xmlError(res, 400, 'MalformedXML', 'no parts');
        for (let i = 0; i < parts.length; i++) {
          const [n, etag] = parts[i];
          if (i > 0 && n <= parts[i - 1][0]) return xmlError(res, 400, 'InvalidPartOrder', 'parts must be ascending');
          if (upload.parts.get(n) !== etag) return xmlError(res, 400, 'InvalidPart', `part ${n}: ETag ${etag} is not the one the store gave`);
        }
        const answer = await forward(target, req, body);
        if (answer.status === 200) {
          uploads.delete(q.get('uploadId'));
          front.published.push(key);
        }
        res.writeHead(answer.status, answer.headers);
        return res.end(answer.body);
      }
      if (req.method === 'POST' && q.has('uploads')) {
        count('CreateMultipartUpload');
        const answer = await forward(target, req, body);
        const id = /<UploadId>([^<]+)<\/UploadId>/.exec(answer.body.toString('utf8'))?.[1];
        if (answer.status === 200 && id) uploads.set(id, { key, initiated: Date.now(), parts: new Map() });
        res.writeHead(answer.status, answer.headers);
        return res.end(answer.body);
      }
      count(`${req.method}${key ? ' object' : ' bucket'}`);
      const answer = await forward(target, req, body);
      if (req.method === 'PUT' && key && answer.status === 200) front.published.push(key);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch (e) {
      if (!res.headersSent) xmlError(res, 500, 'InternalError', String(e));
      else res.destroy();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.port = server.address().port;
  front.close = () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); });
  return front;
}

export { EMPTY_SHA256 };
