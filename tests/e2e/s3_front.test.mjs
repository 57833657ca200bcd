// The local S3 store's verifying front (tests/s3/s3_front.mjs) itself: the S3 tests prove
// something only if the front refuses what real S3 refuses. Its oracle accepts AWS's published
// presigned-URL example and refuses it altered; live, it refuses a wrong secret, an unsigned
// request, a path signed unencoded ('=' where S3 reads %3D), a tampered or expired presigned
// URL, and made-up ETags; it lists and aborts multipart uploads, which s3rver cannot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from './harness.mjs';

const require = createRequire(path.join(root, 'tests/s3/package.json'));
const {
  S3Client, PutObjectCommand, GetObjectCommand, CreateMultipartUploadCommand, UploadPartCommand,
  CompleteMultipartUploadCommand, AbortMultipartUploadCommand, ListObjectsV2Command,
} = require('@aws-sdk/client-s3');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Hash } = require('@smithy/hash-node');
const { HttpRequest } = require('@smithy/protocol-http');
const { startS3 } = await import(path.join(root, 'tests/s3/s3_harness.mjs'));
const { verifySignature } = await import(path.join(root, 'tests/s3/s3_front.mjs'));

let s3;
before(async () => { s3 = await startS3(); });
after(async () => { await s3?.stop(); });

const signer = (secretAccessKey = s3.credentials.secretAccessKey) => new SignatureV4({
  credentials: { accessKeyId: s3.credentials.accessKeyId, secretAccessKey }, region: s3.region, service: 's3',
  sha256: Hash.bind(null, 'sha256'), uriEscapePath: false,
});

// A presigned GET of `key` signed at `date` for `expiresIn` seconds, as a URL of the front.
async function presignedUrl(key, { date = new Date(), expiresIn = 3600 } = {}) {
  const host = new URL(s3.endpoint).host;
  const request = new HttpRequest({ method: 'GET', protocol: 'http:', hostname: host, path: `/${s3.bucket}/${key}`,
    headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  const skip = new Set(['x-amz-content-sha256']);
  const signed = await signer().presign(request, { signingDate: date, expiresIn, unhoistableHeaders: skip, unsignableHeaders: skip });
  const query = Object.entries(signed.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `${s3.endpoint}/${s3.bucket}/${key}?${query}`;
}

test("the oracle accepts AWS's published presigned-URL example and refuses it altered", async () => {
  // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", the S3 API reference.
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const query = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request'
    + '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host'
    + '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
  const req = (url) => ({ method: 'GET', url, headers: { host: 'examplebucket.s3.amazonaws.com' } });
  const options = { credentials, region: 'us-east-1', now: new Date('2013-05-24T01:00:00Z') };
  assert.equal(await verifySignature(req(`/test.txt?${query}`), Buffer.alloc(0), options), null);
  assert.equal((await verifySignature(req(`/test.tx?${query}`), Buffer.alloc(0), options))[1], 'SignatureDoesNotMatch');
  assert.equal((await verifySignature(req(`/test.txt?${query.replace('86400', '86401')}`), Buffer.alloc(0), options))[1], 'SignatureDoesNotMatch');
  const late = { ...options, now: new Date('2013-05-25T00:00:01Z') };
  assert.equal((await verifySignature(req(`/test.txt?${query}`), Buffer.alloc(0), late))[1], 'AccessDenied');
});

test('a request signed with the wrong secret, or not signed, gets 403', async () => {
  const wrong = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true,
    credentials: { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: 'not-the-secret' } });
  await assert.rejects(wrong.send(new ListObjectsV2Command({ Bucket: s3.bucket })),
    (e) => e.$metadata.httpStatusCode === 403 && e.name === 'SignatureDoesNotMatch');
  wrong.destroy();
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'front/plain.txt', Body: 'hello' }));
  const unsigned = await fetch(`${s3.endpoint}/${s3.bucket}/front/plain.txt`);
  assert.equal(unsigned.status, 403);
  assert.match(await unsigned.text(), /AccessDenied/);
});

test("a path signed as written, '=' unencoded, is refused as S3 refuses it", async () => {
  // curl 7.88 signs the path it is given; S3 canonicalises '=' as %3D first.
  const host = new URL(s3.endpoint).host;
  const raw = new HttpRequest({ method: 'GET', protocol: 'http:', hostname: host, path: `/${s3.bucket}/front/a=b.txt`,
    headers: { host, 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } });
  const signed = await signer().sign(raw);
  const res = await fetch(`${s3.endpoint}/${s3.bucket}/front/a=b.txt`, { headers: signed.headers });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /SignatureDoesNotMatch/);
  // Signed over the canonical %3D, the same object is found.
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'front/a=b.txt', Body: 'equals' }));
  assert.equal((await s3.get('front/a=b.txt')).toString(), 'equals');
});

test('a presigned URL works; tampered or expired it gets 403', async () => {
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'front/presigned.txt', Body: 'presigned body' }));
  const url = await presignedUrl('front/presigned.txt');
  const ok = await fetch(url);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'presigned body');
  const tampered = [url.replace('front/presigned.txt', 'front/plain.txt'), url.replace('X-Amz-Expires=3600', 'X-Amz-Expires=7200'),
    url.replace(/X-Amz-Signature=([0-9a-f])/, (m, c) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`)];
  for (const t of tampered) {
    const res = await fetch(t);
    assert.equal(res.status, 403, t);
  }
  const expired = await fetch(await presignedUrl('front/presigned.txt', { date: new Date(Date.now() - 7200e3), expiresIn: 3600 }));
  assert.equal(expired.status, 403);
  assert.match(await expired.text(), /Request has expired/);
});

test('multipart uploads are listed and aborted; made-up ETags are refused', async () => {
  const Key = 'front/multipart.bin';
  const { UploadId } = await s3.client.send(new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key }));
  assert.deepEqual((await s3.uploads('front/')).map((u) => [u.Key, u.UploadId]), [[Key, UploadId]]);
  const part = await s3.client.send(new UploadPartCommand({ Bucket: s3.bucket, Key, UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 7) }));
  await assert.rejects(s3.client.send(new CompleteMultipartUploadCommand({ Bucket: s3.bucket, Key, UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }] } })), (e) => e.name === 'InvalidPart');
  await s3.client.send(new AbortMultipartUploadCommand({ Bucket: s3.bucket, Key, UploadId }));
  assert.deepEqual(await s3.uploads('front/'), []);
  await assert.rejects(s3.client.send(new CompleteMultipartUploadCommand({ Bucket: s3.bucket, Key, UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } })), (e) => e.name === 'NoSuchUpload');
  await assert.rejects(s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key })), (e) => e.name === 'NoSuchKey');
});
