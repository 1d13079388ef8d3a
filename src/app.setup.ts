import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyBaseLogger, LogController } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { sendFrameworkError } from './common/filters/framework-errors';
import { limitJsonDepth } from './common/json-body-parser';
import { BEARER_SCHEME } from './auth/decorators/authenticated.decorator';
import { createAppLogger } from './logging/app-logger';
import { NestLogger } from './logging/nest-logger';
import { requestId } from './logging/request-id';
import { logRequests } from './logging/request-logging';
import { AppConfig } from './config/app-config';
import { responseHeaders, useCors } from './common/http/security-headers';
import { OPERATOR_SCHEME } from './tenants/operator/operator-only.decorator';

export function createAdapter(config: AppConfig, logger: Logger): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    genReqId: requestId,
    requestIdHeader: false,
    loggerInstance: logger,
    // One line per request, written by logRequests(); no child logger made per request.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent: FastifyBaseLogger) => parent,
    // Answers Fastify's router gives before any route (414, bad URL encoding), in our shape.
    frameworkErrors: sendFrameworkError,
  });
}

function setUpSwagger(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Latchkey')
      .setDescription(
        'Multi-tenant API: authenticate with an API key (`prv_live_…`) or a JWT in ' +
          '`Authorization: Bearer <credential>`.',
      )
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'An API key or an access token (JWT)' },
        BEARER_SCHEME,
      )
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN (operator API only)' },
        OPERATOR_SCHEME,
      )
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** Everything main.ts and the e2e tests both need, so that tests run the app users run. */
export async function configureApp(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<NestFastifyApplication> {
  useCors(app, config);
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  setUpSwagger(app);
  limitJsonDepth(app.getHttpAdapter().getInstance());
  logRequests(app.getHttpAdapter().getInstance());
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.headers(responseHeaders(request.url)).header('x-request-id', request.id);
      done();
    });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

export async function createApp(
  config: AppConfig,
  logger: Logger = createAppLogger(config),
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    createAdapter(config, logger),
    { logger: new NestLogger(logger), abortOnError: false, bodyParser: false },
  );
  return configureApp(app, config);
}
