/** The companion's access token, kept in UXP secure storage (encrypted under the user's account). */
import { storage, type secureStorage as SecureStorageInstance } from 'uxp';

const TOKEN_KEY = 'diffusion-brush.companion-token';

/**
 * The typings declare secureStorage at the module root, but Photoshop exposes it as
 * require('uxp').storage.secureStorage (Adobe's reference), so it is looked up there.
 */
function secure(): typeof SecureStorageInstance {
  return (storage as unknown as { secureStorage: typeof SecureStorageInstance }).secureStorage;
}

export async function loadToken(): Promise<string | null> {
  try {
    const bytes = await secure().getItem(TOKEN_KEY);
    // Tokens are base64url, plain ASCII; TextDecoder is missing in some UXP versions.
    return bytes && bytes.length > 0 ? String.fromCharCode(...bytes) : null;
  } catch {
    // Secure storage "should be regarded as a cache" (Adobe): a lost token just means pairing again.
    return null;
  }
}

export function saveToken(token: string): Promise<void> {
  return secure().setItem(TOKEN_KEY, token);
}

export function forgetToken(): Promise<void> {
  return secure().removeItem(TOKEN_KEY);
}
