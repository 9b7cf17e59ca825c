import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import multer from 'multer';
import { deliverySignature, signParams, type CloudinaryUploadResponse } from './protocol';

export interface CloudinarySandbox {
  /** Use as CLOUDINARY_API_BASE. */
  apiBase: string;
  /** Use as CLOUDINARY_URL. */
  cloudinaryUrl: string;
  uploads: Map<string, { buffer: Buffer; mime: string; resourceType: string; publicId: string; deliveryType: 'upload' | 'authenticated' }>;
  close(): Promise<void>;
}

/** The sandbox's account, its stored files, and its own address once it listens. */
interface SandboxState {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
  uploads: CloudinarySandbox['uploads'];
  base: string;
}

const fail = (res: express.Response, status: number, message: string) => res.status(status).json({ error: { message } });

/** The signed upload API: checks cloud, resource type, api_key, timestamp and signature, stores the file. */
function uploadRoute(app: express.Express, state: SandboxState) {
  const { cloudName, apiKey, apiSecret, uploads } = state;
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 100 * 1024 * 1024 } });
  app.post('/v1_1/:cloud/:resourceType/upload', upload.single('file'), (req, res) => {
    const { cloud, resourceType } = req.params as { cloud: string; resourceType: string };
    if (cloud !== cloudName) return fail(res, 404, `Invalid cloud_name ${cloud}`);
    if (!['image', 'video', 'raw', 'auto'].includes(resourceType)) return fail(res, 400, `Invalid resource type ${resourceType}`);
    const fields = req.body as Record<string, string>;
    if (fields.api_key !== apiKey) return fail(res, 401, `Unknown API key ${fields.api_key ?? ''}`);
    const timestamp = Number(fields.timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 3600)
      return fail(res, 400, 'Stale request - reported time is more than 1 hour ago');
    if (fields.signature !== signParams(fields, apiSecret)) return fail(res, 401, 'Invalid Signature');
    if (!req.file) return fail(res, 400, 'Missing required parameter - file');
    const publicId = `${fields.folder ? `${fields.folder}/` : ''}${fields.public_id ?? randomBytes(10).toString('hex')}`;
    const version = Math.floor(Date.now() / 1000);
    const format = resourceType === 'raw' ? undefined : req.file.originalname.split('.').pop();
    const deliveryType = fields.type === 'authenticated' ? 'authenticated' : 'upload';
    const path = `/${cloudName}/${resourceType}/${deliveryType}/v${version}/${publicId}${format ? `.${format}` : ''}`;
    uploads.set(path, { buffer: req.file.buffer, mime: req.file.mimetype, resourceType, publicId, deliveryType });
    const body: CloudinaryUploadResponse = {
      asset_id: randomBytes(16).toString('hex'),
      public_id: publicId,
      version,
      resource_type: resourceType,
      format,
      bytes: req.file.size,
      type: deliveryType,
      url: `${state.base}${path}`,
      secure_url: `${state.base}${path}`,
      created_at: new Date().toISOString(),
    };
    res.json(body);
  });
}

/** Delivery: public files at the secure_url the upload returned; authenticated ones only with a valid `s--<signature>--`. */
function deliveryRoute(app: express.Express, { uploads, apiSecret }: SandboxState) {
  app.get(/^\/.+\/upload\/v\d+\/.+$/, (req, res) => {
    const file = uploads.get(req.path);
    if (!file) return fail(res, 404, 'Resource not found');
    res.type(file.mime).send(file.buffer);
  });
  app.get(/^\/.+\/authenticated\/.+$/, (req, res) => {
    const m = /^(\/.+\/authenticated\/)(?:s--([\w-]{8})--\/)?(v\d+\/.+)$/.exec(req.path);
    const file = m && uploads.get(`${m[1]}${m[3]}`);
    // Cloudinary answers an unsigned or wrongly signed authenticated URL like a missing one.
    if (!m || !file || m[2] !== deliverySignature(m[3], apiSecret)) return fail(res, 404, 'Resource not found');
    res.type(file.mime).send(file.buffer);
  });
}

/** The signed destroy API: removes the resource of that public id and delivery type. */
function destroyRoute(app: express.Express, { cloudName, apiKey, apiSecret, uploads }: SandboxState) {
  app.post('/v1_1/:cloud/:resourceType/destroy', multer().none(), (req, res) => {
    const fields = req.body as Record<string, string>;
    if (req.params.cloud !== cloudName) return fail(res, 404, `Invalid cloud_name ${req.params.cloud}`);
    if (fields.api_key !== apiKey) return fail(res, 401, `Unknown API key ${fields.api_key ?? ''}`);
    if (fields.signature !== signParams(fields, apiSecret)) return fail(res, 401, 'Invalid Signature');
    const type = fields.type ?? 'upload';
    const key = [...uploads.entries()].find(
      ([, f]) => f.publicId === fields.public_id && f.deliveryType === type && f.resourceType === req.params.resourceType,
    )?.[0];
    if (key) uploads.delete(key);
    res.json({ result: key ? 'ok' : 'not found' });
  });
}

/**
 * A local Cloudinary speaking the signed upload API: checks api_key, timestamp (1 hour window) and
 * the SHA-1 signature exactly as Cloudinary does, answers with Cloudinary's fields, and delivers
 * the stored files at the secure_url it returned.
 */
export async function startCloudinarySandbox(
  opts: { cloudName?: string; apiKey?: string; apiSecret?: string; port?: number } = {},
): Promise<CloudinarySandbox> {
  const state: SandboxState = {
    cloudName: opts.cloudName ?? 'sandbox-cloud',
    apiKey: opts.apiKey ?? '123456789012345',
    apiSecret: opts.apiSecret ?? randomBytes(12).toString('hex'),
    uploads: new Map(),
    base: '',
  };
  const { cloudName, apiKey, apiSecret, uploads } = state;
  const app = express();
  uploadRoute(app, state);
  deliveryRoute(app, state);
  destroyRoute(app, state);

  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(opts.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiBase: state.base,
    cloudinaryUrl: `cloudinary://${apiKey}:${apiSecret}@${cloudName}`,
    uploads,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
