import { builder } from '../builder.ts';
import './scalars.ts';
import './post.ts';
import './user.ts';
import './auth.ts';

builder.queryType({});
builder.mutationType({});

export const schema = builder.toSchema({ sortSchema: false });
