import { forgetToken, loadToken, saveToken } from '../../../plugin/host/token-store';

describe('the companion token in UXP secure storage', () => {
  it('is absent until saved, then survives as text, and can be forgotten', async () => {
    await expect(loadToken()).resolves.toBeNull();
    await saveToken('tok_abc123');
    await expect(loadToken()).resolves.toBe('tok_abc123');
    await forgetToken();
    await expect(loadToken()).resolves.toBeNull();
  });
});
