/** A deployed stack's outputs, read from CloudFormation: what the scripts act on. */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

export type Outputs = Readonly<Record<string, string>>;

export async function stackOutputs(stack: string): Promise<Outputs> {
  const client = new CloudFormationClient({});
  const { Stacks: [described] = [] } = await client.send(
    new DescribeStacksCommand({ StackName: stack }),
  );
  return Object.fromEntries(
    (described?.Outputs ?? []).map(({ OutputKey, OutputValue }) => [
      OutputKey ?? '',
      OutputValue ?? '',
    ]),
  );
}
