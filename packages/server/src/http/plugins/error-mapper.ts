import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ERROR_TABLE } from '../../domain/error-table.js';
import { RegistryError, isRegistryError, type ErrorCode } from '../../domain/errors.js';
import { loggableUrl } from '../loggable-url.js';
import { TlogError } from '../../domain/tlog/index.js';

/** Fastify's own error codes, mapped into the registry's table. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'E_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'E_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'E_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'E_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'E_INVALID_JSON',
  FST_ERR_VALIDATION: 'E_BAD_REQUEST',
  FST_CSRF_INVALID_TOKEN: 'E_CSRF_INVALID',
  FST_CSRF_MISSING_SECRET: 'E_CSRF_INVALID',
};

export function toRegistryError(err: unknown): RegistryError {
  if (isRegistryError(err)) return err;
  // The log library's own errors come from bad coordinates or sizes in a request.
  if (err instanceof TlogError) return new RegistryError('E_BAD_REQUEST', err.message, { cause: err });
  const fastifyError = err as FastifyError;
  const mapped = fastifyError?.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new RegistryError(mapped, mappedMessage(mapped, fastifyError), { cause: err });
  if (err instanceof SyntaxError || fastifyError?.statusCode === 400) {
    return new RegistryError('E_INVALID_JSON', 'The request body is not valid JSON.', { cause: err });
  }
  return new RegistryError('E_INTERNAL', 'Internal server error.', { cause: err });
}

function mappedMessage(code: ErrorCode, err: FastifyError): string {
  switch (code) {
    case 'E_BODY_TOO_LARGE': return 'The request body is over the configured size limit.';
    case 'E_UNSUPPORTED_MEDIA_TYPE': return `Unsupported content type; send application/json.`;
    case 'E_INVALID_JSON': return 'The request body is not valid JSON.';
    case 'E_CSRF_INVALID': return 'This form has expired or was not sent from this site; reload the page and try again.';
    default: return err.message;
  }
}

/** The body npm prints: `error` (npm shows that field), plus our stable code. */
export function sendError(reply: FastifyReply, error: RegistryError): FastifyReply {
  const { status } = ERROR_TABLE[error.code];
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply
    .code(status)
    .header('x-request-id', reply.request.id)
    .header('cache-control', 'no-store')
    .type('application/json')
    .send(JSON.stringify({ ...error.fields, error: `${error.message} [${error.code}]`, code: error.code }));
}

export function registerErrorMapper(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const error = toRegistryError(err);
    if (error.code === 'E_INTERNAL') request.log.error({ err }, 'request failed');
    else request.log.debug({ code: error.code }, error.message);
    return sendError(reply, error);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new RegistryError('E_NOT_FOUND', `Not found: ${request.method} ${loggableUrl(request.url)}`)));
}
