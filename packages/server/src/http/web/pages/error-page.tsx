import { Layout, type PageFrame } from '../layout.js';

export function ErrorPage(props: { frame: PageFrame; status: number; message: string }): JSX.Element {
  return (
    <Layout frame={props.frame} title={props.status === 404 ? 'Not found' : 'Something went wrong'}>
      <h1>{props.status === 404 ? 'Not found' : 'Something went wrong'}</h1>
      <p class="notice bad" role="alert" id="error" safe>{props.message}</p>
    </Layout>
  );
}
