/** The functions' settings: read from the variables the stack sets, every missing one named. */
import { apiSettings, EnvironmentVariables, InvalidSettingsError } from '../../service/settings';

// Every variable the API's function reads, as the stack sets them.
const ENVIRONMENT = {
  [EnvironmentVariables.TABLE_NAME]: 'orders-table',
};

test('API settings are read from the variables the stack sets', () => {
  expect(apiSettings(ENVIRONMENT)).toEqual({
    tableName: 'orders-table',
  });
});

describe.each(Object.keys(ENVIRONMENT))('a missing %s', (name) => {
  test.each([
    ['unset', undefined],
    ['empty', ''],
  ])('is named when %s', (_case, value) => {
    const environment = { ...ENVIRONMENT, [name]: value };
    expect(() => apiSettings(environment)).toThrow(InvalidSettingsError);
    expect(() => apiSettings(environment)).toThrow(`environment variable ${name} is not set`);
  });
});

test('every missing variable is named at once', () => {
  const error = captured(() => apiSettings({}));
  expect(error).toBeInstanceOf(InvalidSettingsError);
  expect((error as InvalidSettingsError).problems).toEqual(
    Object.keys(ENVIRONMENT).map((name) => `environment variable ${name} is not set`),
  );
});

function captured(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
