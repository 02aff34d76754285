// Relay global ids as the server makes them (base64 of "Type:id"), with the relay plugin's own helpers.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';

export const globalIdOf = (typename: 'User' | 'Post' | (string & {}), id: string) => encodeGlobalID(typename, id);
export const dbIdOf = (globalId: string) => decodeGlobalID(globalId).id;
