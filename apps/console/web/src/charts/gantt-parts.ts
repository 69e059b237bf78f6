// The project timeline draws custom bars and a "today" line: registered only where it is used.
import { use } from 'echarts/core';
import { CustomChart } from 'echarts/charts';
import { MarkLineComponent } from 'echarts/components';

use([CustomChart, MarkLineComponent]);
