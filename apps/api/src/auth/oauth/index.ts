import { Provider } from '@nestjs/common';
import { GoogleOAuthStrategy } from './google.strategy';
import { OAuthService } from './oauth.service';

export { OAuthController } from './oauth.controller';

/** What AuthModule registers for OAuth login (it provides SIGNING_SECRET and SessionsService). */
export const OAUTH_PROVIDERS: Provider[] = [GoogleOAuthStrategy, OAuthService];
