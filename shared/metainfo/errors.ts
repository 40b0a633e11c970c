// Why a torrent was refused. `code` is stable for programs (named after libtorrent's error where
// one exists, so fixture tests can compare); `message` is for the user.

export type MetainfoErrorCode =
  | 'invalid_bencoding'
  | 'not_a_dict'
  | 'missing_info'
  | 'unsupported_v2'
  | 'unknown_version'
  | 'missing_piece_length'
  | 'missing_name'
  | 'invalid_name'
  | 'invalid_length'
  | 'invalid_file'
  | 'inconsistent_files'
  | 'no_files'
  | 'too_many_files'
  | 'too_many_pieces'
  | 'missing_pieces'
  | 'invalid_hashes'
  | 'too_many_duplicate_filenames';

export class MetainfoError extends Error {
  constructor(
    readonly code: MetainfoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MetainfoError';
  }
}
