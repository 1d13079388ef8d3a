import Fastify, { FastifyInstance } from 'fastify';
import { sendFrameworkError } from './framework-errors';

describe('sendFrameworkError', () => {
  let fastify: FastifyInstance;

  beforeAll(async () => {
    fastify = Fastify({ frameworkErrors: sendFrameworkError });
    fastify.get('/things/:id', () => ({ ok: true }));
    await fastify.ready();
  });
  afterAll(() => fastify.close());

  it('answers a path parameter over the router limit in the error shape', async () => {
    const response = await fastify.inject({ method: 'GET', url: `/things/${'a'.repeat(101)}` });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toEqual({
      statusCode: 414,
      error: 'URI Too Long',
      code: 'URI_TOO_LONG',
      message: 'A path parameter is too long',
    });
  });

  it('answers a path that is not valid URL encoding in the error shape', async () => {
    const response = await fastify.inject({ method: 'GET', url: '/things/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'The path is not valid URL encoding',
    });
  });
});
