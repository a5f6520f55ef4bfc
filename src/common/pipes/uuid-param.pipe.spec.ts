import { AppException } from '../errors/app.exception';
import { uuidParam } from './uuid-param.pipe';

describe('uuidParam', () => {
  const pipe = uuidParam('User not found.');

  it('returns UUIDs in lower case', () => {
    expect(pipe.transform('3F0E8A5E-3C4B-4A8E-9A39-0C8F3D6F8A11')).toBe(
      '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11',
    );
  });

  it.each(['me', '123', '', '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a1', undefined])(
    'answers 404 for %p',
    (value) => {
      try {
        pipe.transform(value);
        throw new Error('expected a 404');
      } catch (error) {
        expect(error).toBeInstanceOf(AppException);
        expect((error as AppException).getStatus()).toBe(404);
        expect((error as AppException).message).toBe('User not found.');
      }
    },
  );
});
