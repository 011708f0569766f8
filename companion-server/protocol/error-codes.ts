/**
 * Stable error codes. A client switches on the code; the sentence that travels with it is for people
 * and may change. Each entry says what went wrong and what to do about it.
 */
export const ERROR_CODES = {
  // Handshake and authentication
  HELLO_REQUIRED: 'The first message on a connection must be "hello"; send hello, then auth or pair.',
  PROTOCOL_VERSION_UNSUPPORTED: 'The client and the companion share no protocol version; update the older of the two.',
  AUTH_REQUIRED: 'This connection is not authenticated; send "auth" with your token, or "pair" with the code the companion shows.',
  AUTH_TOKEN_INVALID: 'The token is not known to this companion; pair again with the code the companion shows.',
  AUTH_TOKEN_REVOKED: 'The token was revoked on the companion; pair again with the code the companion shows.',
  HANDSHAKE_TIMEOUT: 'The connection did not authenticate in time; reconnect and send hello and auth right away.',
  PAIRING_CODE_INVALID: 'The pairing code is wrong; type the code the companion prints when it starts.',
  PAIRING_CODE_EXPIRED: 'The pairing code has expired; use the new code the companion printed.',
  PAIRING_RATE_LIMITED: 'Too many wrong pairing codes; wait a minute, then type the code the companion shows.',
  ORIGIN_REFUSED: 'Connections from web pages are refused; connect from the Photoshop panel or a local tool without an http(s) Origin.',
  TOO_MANY_CONNECTIONS: 'The companion has too many connections open; close other panels or clients and retry.',
  // Messages and frames
  MESSAGE_MALFORMED: 'The text message is not JSON; send one JSON object per text frame.',
  MESSAGE_INVALID: 'The message does not match the protocol; fix the fields named in the message.',
  MESSAGE_TOO_LARGE: 'The message is larger than the protocol allows; keep prompts short and send pixels as binary frames.',
  REQUEST_ID_IN_USE: 'A job with this id is still in progress on this connection; use a new id for each request.',
  FRAME_INVALID: 'The binary frame header is malformed; check the magic, version, kind, format and size fields.',
  FRAME_UNEXPECTED: 'No request on this connection is waiting for this image; send the JSON request first, then its frames.',
  IMAGE_INVALID: 'The image does not fit the request (wrong format or size); check that masks match the source size.',
  // Jobs
  QUEUE_FULL: 'This connection has too many jobs in the queue; wait for one to finish or cancel one.',
  SERVER_BUSY: 'The companion queue is full; wait for jobs to finish and retry.',
  UPLOAD_LIMIT_EXCEEDED: 'The images of the queued jobs exceed the upload limit; wait for jobs to start or send smaller crops.',
  JOB_NOT_FOUND: 'No queued or running job has this id on this connection; it may have finished already.',
  JOB_KIND_UNAVAILABLE: 'The engine cannot run this kind of job yet; update the companion.',
  JOB_INVALID: 'The engine refused the job\'s parameters; change the parameter named in the message.',
  JOB_FAILED: 'The engine failed to run the job; see the message for the cause.',
  MODEL_NOT_FOUND: 'No model folder with this id; ask for the model list and pick one of its ids.',
  MODEL_BUSY: 'Jobs are queued or running on the current model; wait for them or cancel them before switching.',
  MODEL_LOAD_FAILED: 'The model could not be loaded; check the model folder named in the message.',
  SHUTTING_DOWN: 'The companion is shutting down; restart it and reconnect.',
  INTERNAL_ERROR: 'The companion hit an unexpected error; see its log and report it.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];
