// Tracker errors. A tracker that answers "failure reason" and a tracker that answers garbage are
// both TrackerErrors, told apart by `kind`; either way it is a warning for that tracker only.

export type TrackerErrorKind =
  | 'failure' // the tracker refused: `message` is its "failure reason" (BEP 3) or UDP error (BEP 15)
  | 'malformed'; // the response could not be understood

export class TrackerError extends Error {
  constructor(
    readonly kind: TrackerErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'TrackerError';
  }
}
