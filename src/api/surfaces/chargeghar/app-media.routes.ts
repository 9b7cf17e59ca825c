import fs from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import express from 'express';
import multer from 'multer';
import { z } from 'zod';
import { UPLOAD_PURPOSES, LocalMediaStorage, fileTooLarge, PrivateMediaService, UploadService, type IncomingFile } from '../../../modules/engagement';
import type { ApiDeps } from '../../deps';
import type { SurfaceRoutes } from '../../http/route';
import { AppError, Errors } from '../../../kernel/errors';
import { fieldErrors } from '../../http/route';
import { surfaceBaseUrl } from '../../http/public-url';
import { rateLimits } from '../../http/rate-limit';
import type { SurfaceModule } from '../types';

export const UploadSchema = z
  .object({
    id: z.string().uuid(),
    url: z.string().openapi({ description: 'Use this URL in profile (avatar_url), KYC and issue reports' }),
    mime_type: z.string(),
    kind: z.enum(['image', 'video', 'document']),
    size_bytes: z.number().int(),
    purpose: z.enum(UPLOAD_PURPOSES),
    storage: z.enum(['local', 'cloudinary']),
    original_name: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Upload');

const UploadFields = z.object({ purpose: z.enum(UPLOAD_PURPOSES).default('other') });

/** Reads the multipart body: the file streams to disk, cut at its own type's limit, so 50 MB are never held in memory. */
function uploadReceiver(service: UploadService, maxBytes: number) {
  const storage: multer.StorageEngine = {
    _handleFile: (_req, file, cb) => {
      service.receive(file.stream).then((incoming) => cb(null, { path: incoming.path, size: incoming.size, incoming } as never), cb);
    },
    _removeFile: (_req, file, cb) => {
      fs.rm(file.path, { force: true }).then(() => cb(null), cb);
    },
  };
  const single = multer({ storage, limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024 } }).single('file');
  return (req: Request, res: Response) =>
    new Promise<IncomingFile | undefined>((resolve, reject) =>
      single(req, res, (err: unknown) => {
        if (!err) return resolve((req.file as (Express.Multer.File & { incoming?: IncomingFile }) | undefined)?.incoming);
        if (err instanceof AppError) return reject(err);
        if (err instanceof multer.MulterError) {
          if (err.code === 'LIMIT_FILE_SIZE') return reject(fileTooLarge('file', maxBytes));
          return reject(new AppError('INVALID_UPLOAD', `${err.message}${err.field ? ` (${err.field})` : ''}: send one file in the "file" field`, 400));
        }
        reject(new AppError('INVALID_UPLOAD', 'Malformed multipart body', 400));
      }),
    );
}

/** Private files (KYC documents) through a short-lived signed link; never cached. */
function privateMediaRoute(routes: SurfaceRoutes, deps: ApiDeps) {
  const privateMedia = new PrivateMediaService({ orm: deps.orm, config: deps.config });
  routes.route({
    method: 'get',
    path: '/media/private/:id',
    summary: 'A private file (KYC document) through the signed link the API gave its owner or an admin',
    description: `Links expire after ${deps.config.PRIVATE_MEDIA_URL_TTL_SECONDS} s. A bad, expired or unknown link is 404. Served with Cache-Control: no-store.`,
    tags: ['App'],
    params: z.object({ id: z.uuid() }),
    query: z.object({ expires: z.string().optional(), signature: z.string().optional() }),
    errors: { 404: 'No such file, or the link is wrong or expired' },
    handler: async ({ params, query, res }) => {
      const file = await privateMedia.open(params.id, query.expires, query.signature);
      if (!file) throw new AppError('NOT_FOUND', 'No such file, or the link is wrong or expired', 404);
      res.setHeader('Content-Type', file.mimeType);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', 'inline');
      await pipeline(file.stream, res);
    },
  });
}

export const appMediaRoutes: SurfaceModule = (routes, deps) => {
  const service = new UploadService({ orm: deps.orm, config: deps.config });
  const maxBytes = Math.max(deps.config.UPLOAD_MAX_IMAGE_BYTES, deps.config.UPLOAD_MAX_VIDEO_BYTES);
  const receive = uploadReceiver(service, maxBytes);

  routes.route({
    method: 'post',
    path: '/app/upload',
    summary: 'Upload an image (JPEG, PNG, WebP), a PDF or an MP4 video; returns its URL',
    description: `multipart/form-data with one \`file\`. The type is read from the file's bytes. Limits: images and PDF ${deps.config.UPLOAD_MAX_IMAGE_BYTES} bytes, video ${deps.config.UPLOAD_MAX_VIDEO_BYTES} bytes. Stored on Cloudinary when CLOUDINARY_URL is configured, otherwise on the server's disk and served under /media.`,
    tags: ['App'],
    auth: 'user',
    status: 201,
    multipartBody: z.object({
      file: z.string().openapi({ type: 'string', format: 'binary' }),
      purpose: z.enum(UPLOAD_PURPOSES).optional().openapi({ description: 'What the file is for (default other); kyc_document refuses video' }),
    }),
    response: UploadSchema,
    errors: {
      400: 'No file, or not JPEG/PNG/WebP/PDF/MP4 (UNSUPPORTED_FILE_TYPE)',
      413: 'Larger than the limit of its type (FILE_TOO_LARGE)',
      502: 'Cloudinary refused the upload or is unreachable',
    },
    limits: rateLimits(deps, 'upload'),
    handler: async ({ req, res, user }) => {
      const incoming = await receive(req, res);
      const fields = UploadFields.safeParse(req.body ?? {});
      if (incoming && !fields.success) await fs.rm(incoming.path, { force: true });
      if (!fields.success) throw Errors.validation(fieldErrors(fields.error, 'body'));
      if (!incoming) throw new AppError('FILE_REQUIRED', 'Send the file as multipart/form-data in the "file" field', 400);
      return service.store({
        userId: user!.id,
        file: incoming,
        originalName: req.file!.originalname,
        purpose: fields.data.purpose,
        surfaceBaseUrl: surfaceBaseUrl(req, deps.config.PUBLIC_BASE_URL),
      });
    },
  });

  privateMediaRoute(routes, deps);

  if (service.storage instanceof LocalMediaStorage) {
    routes.router.use(
      '/media',
      (_req, res, next) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        next();
      },
      express.static(service.storage.dir, { index: false, dotfiles: 'deny', maxAge: '365d', immutable: true, fallthrough: true }),
    );
  }
};
