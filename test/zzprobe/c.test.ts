import { startTestStack, type TestStack } from '../support/stack';
describe('probe', () => {
  let stack: TestStack;
  it('starts', async () => {
    stack = await startTestStack();
    await stack.close();
  });
});
