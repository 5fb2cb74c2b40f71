import { signGatewayRequest, verifyGatewayRequest, type GatewayCaller } from '../src';

describe('gateway signatures', () => {
  const secret = 'a-secret-of-enough-length';
  const caller: GatewayCaller = { partnerId: 'hcm-doh', scopes: ['person:read', 'cases:read'], purpose: 'treatment', provinceCode: '79', requestId: 'req-1' };
  const body = JSON.stringify({ query: '{ person(id: "079187000001") { fullName } }' });

  it('gives back the caller of a valid signature', () => {
    expect(verifyGatewayRequest(secret, signGatewayRequest(secret, caller, body), body)).toEqual(caller);
  });

  it('refuses a missing, malformed, forged, expired or misplaced signature with its code', () => {
    const code = (run: () => unknown) => {
      try {
        run();
        return 'accepted';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    const token = signGatewayRequest(secret, caller, body);
    expect(code(() => verifyGatewayRequest(secret, undefined, body))).toBe('HUB_SUBGRAPH_UNSIGNED');
    expect(code(() => verifyGatewayRequest(secret, 'abc', body))).toBe('HUB_SUBGRAPH_BAD_SIGNATURE');
    expect(code(() => verifyGatewayRequest(secret, signGatewayRequest('another-secret-entirely', caller, body), body))).toBe('HUB_SUBGRAPH_BAD_SIGNATURE');
    expect(code(() => verifyGatewayRequest(secret, signGatewayRequest(secret, caller, body, 60, Date.now() - 120_000), body))).toBe('HUB_SUBGRAPH_BAD_SIGNATURE');
    expect(code(() => verifyGatewayRequest(secret, token, body.replace('fullName', 'phone')))).toBe('HUB_SUBGRAPH_BAD_SIGNATURE');
    // Claims changed (a wider scope) under the original signature.
    const [header, payload, signature] = token.split('.');
    const widened = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), scp: ['audit:read'] })).toString('base64url');
    expect(code(() => verifyGatewayRequest(secret, `${header}.${widened}.${signature}`, body))).toBe('HUB_SUBGRAPH_BAD_SIGNATURE');
  });
});
