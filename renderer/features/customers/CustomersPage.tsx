/** Placeholder until the screen lands. */
import NotYet from '../placeholder/NotYet';

export default function Page() {
  return <NotYet area="customers" />;
}
