import { describe, expect, it } from 'vitest';
import { GetUserHandler } from '../../../../../src/contexts/users/application/get-user/get-user.handler.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { UserViewMother } from '../../../../mothers/user-view.mother.js';
import { InMemoryUserViewReader } from '../../../../support/in-memory/in-memory-user-view-reader.js';

const get = (userId: string) => ({ type: 'users.get_user', userId }) as const;

describe('GetUserHandler', () => {
  it('answers the view of the user', async () => {
    const views = new InMemoryUserViewReader();
    const view = UserViewMother.view();
    views.views.set(view.id, view);
    await expect(new GetUserHandler(views).handle(get(view.id))).resolves.toEqual(view);
  });

  it('refuses an unknown user with not_found', async () => {
    const handler = new GetUserHandler(new InMemoryUserViewReader());
    await expect(handler.handle(get(UserMother.id()))).rejects.toMatchObject({ code: 'not_found' });
  });
});
