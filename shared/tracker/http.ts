// HTTP tracker protocol (BEP 3, BEP 7, BEP 23, BEP 48): request URLs and response parsers.
export * from './http-url.ts';
export * from './http-response.ts';
