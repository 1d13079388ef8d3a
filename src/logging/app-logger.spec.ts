import { withoutRawPacket } from './app-logger';

describe('the error serializer', () => {
  it("drops the raw bytes Node attaches to a malformed request's parse error", () => {
    const error = Object.assign(new Error('Parse Error: Invalid header value char'), {
      code: 'HPE_INVALID_HEADER_TOKEN',
      rawPacket: Buffer.from('GET / HTTP/1.1\r\nAuthorization: Bearer prv_live_secret\r\n'),
    });
    const serialized = withoutRawPacket(error);
    expect(serialized).toMatchObject({ message: error.message, code: 'HPE_INVALID_HEADER_TOKEN' });
    expect(JSON.stringify(serialized)).not.toContain('prv_live_secret');
  });
});
