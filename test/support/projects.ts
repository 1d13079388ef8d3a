import TestAgent from 'supertest/lib/agent';
import { bearer } from './factories';

export interface ProjectBody {
  id: string;
  name: string;
  description: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export async function createProject(
  http: () => TestAgent,
  credential: string,
  body: Record<string, unknown> = {},
): Promise<ProjectBody> {
  const response = await http()
    .post('/api/projects')
    .set(bearer(credential))
    .send({ name: 'test project', ...body });
  if (response.status !== 201) {
    throw new Error(`create project: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body as ProjectBody;
}
