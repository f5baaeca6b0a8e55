export {
  api,
  apiRequest,
  ApiError,
  isApiError,
  getAccessToken,
  setAccessToken,
  refreshAccessToken,
  onSessionExpired,
  type RequestOptions,
  type QueryParams,
} from './client';
export {
  applyApiErrors,
  parseApiErrorBody,
  errorMessage,
  retryAfterSeconds,
  ROOT_ERROR,
  type ParsedApiError,
  type ApplyApiErrorsOptions,
} from './errors';
export { qk } from './queryKeys';
export type * from './types';
